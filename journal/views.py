from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities.access import get_session_for_user
from activities.models import Session
from journal.access import (
    get_entry_for_user,
    get_journal_for_user,
    get_own_draft,
    get_participant_for_autosave,
    log_journal_read,
)
from journal.forms import (
    CorrectionForm,
    EntryForm,
    GroupSessionForm,
    JournalFilterForm,
    NoteForm,
    PeriodForm,
    SearchForm,
    names_other_people,
)
from journal.models import Draft, Entry
from journal.services import (
    DraftAlreadySigned,
    DraftConflict,
    GroupEntryInput,
    draft_discard,
    draft_save,
    entry_correct,
    entry_note,
    entry_sign,
    session_document,
)
from lotsen.access import units_of, user_of
from lotsen.pdf import render_pdf
from participants.models import Participant

PAGE_SIZE = 50


def _search_key(participant: Participant) -> str:
    return f"journal_search_{participant.pk}"


def _entries(participant: Participant) -> QuerySet[Entry]:
    return (
        Entry.objects.for_participant(participant)
        .select_related("kind", "author", "place__programme")
        .prefetch_related("corrections__created_by", "notes__created_by")
    )


@login_required
def journal_list(request: HttpRequest, participant_pk: int) -> HttpResponse:
    """The person's journal, newest first, filterable; the search text stays in the session
    (never in a URL: it may be personal data)."""
    participant = get_journal_for_user(request, participant_pk)
    if request.method == "POST":
        search = SearchForm(request.POST)
        query = search.cleaned_data["q"].strip() if search.is_valid() else ""
        if "clear" in request.POST or not query:
            request.session.pop(_search_key(participant), None)
        else:
            request.session[_search_key(participant)] = query
        return redirect(f"{request.path}?{request.GET.urlencode()}")
    units = units_of(request)
    filters = JournalFilterForm(request.GET or None, participant=participant, units=units)
    query = request.session.get(_search_key(participant), "")
    entries = filters.apply(_entries(participant))
    if query:
        entries = entries.search(query)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "participant": participant,
        "page": page,
        "filters": filters,
        "search": SearchForm(initial={"q": query}),
        "query": query,
        "drafts": participant.journal_drafts.filter(author=user_of(request)),
        "period": PeriodForm(),
    }
    return render(request, "journal/list.html", context)


def _draft_form(
    request: HttpRequest, participant: Participant, data: Any = None, **kwargs: Any
) -> EntryForm:
    return EntryForm(data, participant=participant, units=units_of(request), **kwargs)


def _render_form(
    request: HttpRequest,
    participant: Participant,
    form: EntryForm,
    *,
    key: uuid.UUID,
    draft: Draft | None,
    status: int = 200,
    conflict: Draft | None = None,
) -> HttpResponse:
    context = {
        "participant": participant,
        "form": form,
        "key": key,
        "draft": draft,
        "revision": draft.revision if draft else "",
        "tab": uuid.uuid4(),
        "conflict": conflict,
        "other_drafts": participant.journal_drafts.filter(author=user_of(request)).exclude(key=key),
    }
    return render(request, "journal/form.html", context, status=status)


@login_required
def entry_new(request: HttpRequest, participant_pk: int) -> HttpResponse:
    """A new entry: the draft key is made here, so that every save and the signing of this
    form refer to one draft and one entry."""
    participant = get_journal_for_user(request, participant_pk, "new")
    form = _draft_form(request, participant, initial={"occurred_at": timezone.localtime()})
    return _render_form(request, participant, form, key=uuid.uuid4(), draft=None)


def _draft_initial(draft: Draft) -> dict[str, Any]:
    fields = ("occurred_at", "kind", "text", "place", "plan", "session", "referral")
    initial = {name: getattr(draft, name) for name in fields}
    if draft.occurred_at:
        initial["occurred_at"] = timezone.localtime(draft.occurred_at)
    return initial


def _revision(request: HttpRequest) -> int | None:
    value = request.POST.get("revision", "")
    return int(value) if value.isdigit() else None


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _tab(request: HttpRequest) -> uuid.UUID | None:
    return _uuid(request.POST.get("tab", ""))


def _save(request: HttpRequest, participant: Participant, key: uuid.UUID) -> Draft:
    form = _draft_form(request, participant, request.POST, draft=True)
    try:
        return draft_save(
            participant=participant,
            key=key,
            by=user_of(request),
            revision=_revision(request),
            tab=_tab(request),
            fields=form.valid_fields(),
            overwrite="overwrite" in request.POST,
        )
    except Draft.DoesNotExist:
        # Someone else's key: as if it did not exist (a draft is its author's only).
        raise Http404 from None


@login_required
def draft_edit(request: HttpRequest, participant_pk: int, key: uuid.UUID) -> HttpResponse:
    """The draft page; its form also saves without JavaScript ("Spara utkast")."""
    participant = get_journal_for_user(request, participant_pk, "draft")
    if request.method == "POST":
        try:
            _save(request, participant, key)
        except DraftAlreadySigned as signed:
            return redirect("journal:entry", entry_pk=signed.entry.pk)
        except DraftConflict as conflict:
            form = _draft_form(request, participant, request.POST, draft=True)
            return _render_form(
                request,
                participant,
                form,
                key=key,
                draft=conflict.current,
                status=409,
                conflict=conflict.current,
            )
        messages.success(request, _("Utkastet är sparat. Bara du kan se det."))
        return redirect("journal:draft", participant_pk=participant.pk, key=key)
    entry = Entry.objects.filter(key=key, participant=participant).first()
    if entry is not None:
        return redirect("journal:entry", entry_pk=entry.pk)
    draft = get_own_draft(participant, request, key)
    form = _draft_form(request, participant, initial=_draft_initial(draft))
    return _render_form(request, participant, form, key=key, draft=draft)


@login_required
@require_POST
def draft_autosave(request: HttpRequest, participant_pk: int, key: uuid.UUID) -> HttpResponse:
    """Saved as the author types (htmx); answers with a short status line."""
    participant = get_participant_for_autosave(request, participant_pk)
    context: dict[str, Any] = {"participant": participant, "key": key}
    try:
        draft = _save(request, participant, key)
    except DraftAlreadySigned as signed:
        context["signed"] = signed.entry
    except DraftConflict as conflict:
        context["conflict"] = conflict.current
    else:
        context["draft"] = draft
    if not request.headers.get("HX-Request"):
        return redirect("journal:draft", participant_pk=participant.pk, key=key)
    response = render(request, "journal/_draft_status.html", context)
    if "draft" in context:
        # A reload shows the saved draft rather than a new, empty form.
        response["HX-Replace-Url"] = reverse(
            "journal:draft", kwargs={"participant_pk": participant.pk, "key": key}
        )
    return response


@login_required
@require_POST
def draft_sign(request: HttpRequest, participant_pk: int, key: uuid.UUID) -> HttpResponse:
    """Sign: the entry is locked from now on (L1). The same key signs once, however often
    the button is pressed."""
    participant = get_journal_for_user(request, participant_pk, "sign")
    user = user_of(request)
    signed = Entry.objects.filter(key=key).first()
    if signed is not None:
        if signed.participant_id != participant.pk:
            raise Http404
        messages.info(request, _("Anteckningen var redan signerad."))
        return redirect("journal:list", participant_pk=participant.pk)
    form = _draft_form(request, participant, request.POST)
    if not form.is_valid():
        # Keep what was written: the draft gets it even though it cannot be signed yet.
        draft = None
        try:
            draft = _save(request, participant, key)
        except DraftConflict as conflict:
            draft = conflict.current
        return _render_form(request, participant, form, key=key, draft=draft, status=400)
    try:
        entry, created = entry_sign(
            participant=participant, key=key, by=user, fields=form.cleaned_data
        )
    except Draft.DoesNotExist:
        raise Http404 from None
    if created:
        messages.success(request, _("Anteckningen är signerad och kan inte längre ändras."))
    else:
        messages.info(request, _("Anteckningen var redan signerad."))
    return redirect("journal:list", participant_pk=entry.participant_id)


@login_required
@require_POST
def draft_discard_view(request: HttpRequest, participant_pk: int, key: uuid.UUID) -> HttpResponse:
    participant = get_journal_for_user(request, participant_pk, "draft")
    draft_discard(draft=get_own_draft(participant, request, key))
    messages.success(request, _("Utkastet är borttaget."))
    return redirect("journal:list", participant_pk=participant.pk)


def _render_entry(
    request: HttpRequest,
    entry: Entry,
    correction: CorrectionForm,
    note: NoteForm,
    status: int = 200,
) -> HttpResponse:
    context = {
        "entry": entry,
        "participant": entry.participant,
        "correction_form": correction,
        "note_form": note,
    }
    return render(request, "journal/entry.html", context, status=status)


@login_required
def entry_detail(request: HttpRequest, entry_pk: int) -> HttpResponse:
    entry = get_entry_for_user(request, entry_pk)
    return _render_entry(request, entry, CorrectionForm(entry=entry), NoteForm())


@login_required
@require_POST
def entry_correct_view(request: HttpRequest, entry_pk: int) -> HttpResponse:
    """L1: the old text stays, struck through; the new one is added with who, when, why."""
    entry = get_entry_for_user(request, entry_pk)
    form = CorrectionForm(request.POST, entry=entry)
    if not form.is_valid():
        return _render_entry(request, entry, form, NoteForm(), status=400)
    entry_correct(entry=entry, by=user_of(request), **form.cleaned_data)
    messages.success(request, _("Rättelsen är sparad. Den tidigare texten syns överstruken."))
    return redirect("journal:entry", entry_pk=entry.pk)


@login_required
@require_POST
def entry_note_view(request: HttpRequest, entry_pk: int) -> HttpResponse:
    entry = get_entry_for_user(request, entry_pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _render_entry(request, entry, CorrectionForm(entry=entry), form, status=400)
    entry_note(entry=entry, by=user_of(request), text=form.cleaned_data["note"])
    messages.success(request, _("Personens synpunkt är sparad med anteckningen."))
    return redirect("journal:entry", entry_pk=entry.pk)


@login_required
def journal_pdf(request: HttpRequest, participant_pk: int) -> HttpResponse:
    """The journal, or a period of it, for the person or an inspector; corrections struck
    through."""
    participant = get_journal_for_user(request, participant_pk, "pdf")
    period = PeriodForm(request.GET or None)
    start = end = None
    entries = _entries(participant).order_by("occurred_at", "pk")
    if period.is_valid():
        start, end = period.cleaned_data["start"], period.cleaned_data["end"]
        if start:
            entries = entries.filter(occurred_at__date__gte=start)
        if end:
            entries = entries.filter(occurred_at__date__lte=end)
    html = render_to_string(
        "journal/journal_pdf.html",
        {
            "participant": participant,
            "entries": entries,
            "start": start,
            "end": end,
            "printed_at": timezone.localtime(),
            "printed_by": user_of(request),
        },
    )
    pdf = render_pdf(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    # No personal data in the file name: it ends up in download folders and logs.
    response["Content-Disposition"] = f'attachment; filename="journal-{participant.pk}.pdf"'
    return response


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    """Recent group sessions at the user's units, to document their attendees in one go."""
    today = timezone.localdate()
    sessions = (
        Session.objects.filter(
            activity__unit__in=units_of(request),
            cancelled=False,
            date__range=(today - datetime.timedelta(days=14), today),
        )
        .select_related("activity")
        .annotate(attendees=Count("attendances"))
        .filter(attendees__gt=0)
        .order_by("-date", "-starts_at")
    )
    return render(request, "journal/sessions.html", {"sessions": sessions})


@dataclass
class _AttendeeRow:
    person: Participant
    key: uuid.UUID
    text: str
    named: list[Participant]
    include: bool
    documented: bool


@login_required
def session_document_view(request: HttpRequest, session_pk: int) -> HttpResponse:
    """One shared text proposed for each attendee, edited per person, each saved as that
    person's own entry; no entry may name another attendee."""
    session = get_session_for_user(request, session_pk)
    user = user_of(request)
    visible = Participant.objects.visible_to(user)
    attendees = list(
        visible.filter(session_attendances__session=session).order_by("last_name", "first_name")
    )
    documented = set(
        Entry.objects.filter(session=session, participant__in=attendees).values_list(
            "participant_id", flat=True
        )
    )
    # "Föreslå" copies the shared text to each person's field; nothing is saved until signing,
    # so the fields keep what was typed, without errors for what is not filled in yet.
    proposing = "propose" in request.POST
    if proposing:
        typed = {k: v for k, v in request.POST.items() if k in GroupSessionForm.base_fields}
        form = GroupSessionForm(initial={**_session_initial(session), **typed})
    else:
        form = GroupSessionForm(request.POST or None, initial=_session_initial(session))
    shared = request.POST.get("shared_text", "")
    rows = []
    errors = False
    for person in attendees:
        text = request.POST.get(f"text-{person.pk}", "")
        if proposing and not text.strip():
            text = shared
        named = names_other_people(text, [p for p in attendees if p != person])
        include = request.method != "POST" or f"include-{person.pk}" in request.POST
        errors |= bool(named) and include
        rows.append(
            _AttendeeRow(
                person=person,
                key=_uuid(request.POST.get(f"key-{person.pk}", "")) or uuid.uuid4(),
                text=text,
                named=named,
                include=include and person.pk not in documented,
                documented=person.pk in documented,
            )
        )
    if request.method == "POST" and not proposing and form.is_valid() and not errors:
        chosen = [r for r in rows if r.include and r.text.strip()]
        session_document(
            attendees=[
                GroupEntryInput(participant=r.person, key=r.key, text=r.text) for r in chosen
            ],
            by=user,
            fields={
                "occurred_at": form.cleaned_data["occurred_at"],
                "kind": form.cleaned_data["kind"],
                "session": session,
            },
        )
        for r in chosen:
            log_journal_read(r.person, "session")
        messages.success(
            request,
            _("%(count)s anteckningar är signerade, en i varje persons journal.")
            % {"count": len(chosen)},
        )
        return redirect("journal:session", session_pk=session.pk)
    context = {"session": session, "form": form, "rows": rows}
    failed = request.method == "POST" and not proposing
    return render(request, "journal/session.html", context, status=400 if failed else 200)


def _session_initial(session: Session) -> dict[str, Any]:
    moment = datetime.datetime.combine(session.date, session.starts_at)
    return {"occurred_at": timezone.make_aware(moment)}


@login_required
def unit_late(request: HttpRequest) -> HttpResponse:
    """For the unit manager: the share of entries signed late, per unit and month (L1:
    "fortlöpande och utan oskäligt dröjsmål"). Counts only, no names."""
    if not user_of(request).is_manager:
        raise PermissionDenied
    since = timezone.localdate().replace(day=1) - datetime.timedelta(days=365)
    rows = (
        Entry.objects.filter(participant__unit__in=units_of(request), signed_at__date__gte=since)
        .annotate(month=TruncMonth("signed_at"))
        .values("participant__unit__name", "month")
        .annotate(total=Count("pk"), late=Count("pk", filter=Q(late=True)))
        .order_by("participant__unit__name", "-month")
    )
    table = [
        {**row, "share": round(100 * row["late"] / row["total"]) if row["total"] else 0}
        for row in rows
    ]
    return render(request, "journal/unit_late.html", {"rows": table})
