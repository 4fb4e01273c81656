// Once django-otp-webauthn has registered the passkey (and verified the session), go on to
// the recovery codes, which are shown once.
document.addEventListener("otp_webauthn.register_complete", () => {
  const placeholder = document.getElementById("passkey-registration-placeholder");
  window.location.assign(placeholder.dataset.doneUrl);
});
