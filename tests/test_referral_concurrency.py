"""Two staff acting on the same referral at the same moment: exactly one step is taken, the
other is told (row lock plus revision); no second place is opened (R2, R5)."""

from __future__ import annotations

from participants.models import Enrolment
from referrals.models import Status
from referrals.services import ReferralConflict, referral_accept, referral_move
from tests.factories import TODAY, make_participant, make_referral
from tests.race import POSTGRES_ONLY, race

pytestmark = POSTGRES_ONLY


def test_two_staff_accept_the_same_referral_at_once(anna, omar, lotsen, drop_in) -> None:
    referral = make_referral(
        lotsen, programme=drop_in, participant=make_participant(lotsen), status=Status.INTAKE
    )
    outcomes = race(
        [
            lambda by=by: referral_accept(
                referral=referral,
                programme=drop_in,
                start_date=TODAY,
                on=TODAY,
                by=by,
                revision=None,
                today=TODAY,
            )
            for by in (anna, omar)
        ],
        conflicts=(ReferralConflict,),
    )
    assert outcomes.count("ok") == 1
    assert any("kan inte gå till" in o for o in outcomes)
    assert Enrolment.objects.count() == 1
    referral.refresh_from_db()
    assert referral.steps.filter(to_status=Status.ACCEPTED).count() == 1


def test_two_staff_with_the_same_page_one_is_told_of_the_conflict(anna, omar, lotsen) -> None:
    referral = make_referral(lotsen)
    revision = referral.revision
    outcomes = race(
        [
            lambda: referral_move(
                referral=referral,
                to=Status.CONTACTED,
                on=TODAY,
                by=anna,
                revision=revision,
                today=TODAY,
            ),
            lambda: referral_move(
                referral=referral,
                to=Status.DECLINED,
                on=TODAY,
                note="Nej",
                by=omar,
                revision=revision,
                today=TODAY,
            ),
        ],
        conflicts=(ReferralConflict,),
    )
    assert sorted(outcomes) == ["conflict", "ok"]
    referral.refresh_from_db()
    assert referral.revision == revision + 1 and referral.steps.count() == 2
