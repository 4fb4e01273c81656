// Once django-otp-webauthn has registered the passkey (and verified the session), go on to
// the recovery codes, which are shown once.
document.addEventListener("otp_webauthn.register_complete", () => {
  window.location.assign(document.getElementById("passkey-enrolment").dataset.doneUrl);
});
