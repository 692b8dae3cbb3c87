"""The attacks of SPEC §7 (and issue 19, point 2), each a module here, driving the real backend app over HTTP
(httpx's ASGI transport) and the real aiogram dispatcher with `Update`s. The API's modules walk the OpenAPI document,
so a new route is attacked (or fails a test until it says why not) without anyone adding it to a list.

Where each attack is tested. The modules here own what they name; an attack that a dialog's or a route's own tests
already hit where it is shown stays there (moving them would split each dialog's tests in two), listed after.

- Contact spoofing: `test_contact_spoofing.py` (someone else's card, one without a Telegram id or with id 0, the
  sender's own card forwarded or sent through a bot, another borrower's phone followed by their second factor; ru
  and en; nothing linked). Random contacts in every state: `tests/bot/test_random_updates.py`.
- Forged and replayed callback data: `test_forged_callbacks.py` (every button with ids, found among the
  `CallbackData` classes, pressed with another borrower's real loan, certificate, application and quote ids from
  screens that never showed it; a final step's button pressed twice stores once). In the dialogs' own tests:
  malformed, oversized and out-of-place data in every state, `tests/bot/test_bad_input.py::
  test_forged_callback_data_changes_nothing`; another borrower's loan where the loan list is shown, `::
  test_a_loan_not_the_borrowers_own_is_refused`; stale buttons, `::test_stale_settings_button_is_no_longer_active`
  and the other `test_stale_*`; someone else's certificate, application and quote where they are listed,
  `tests/bot/test_certificate_requests.py::test_another_borrowers_and_unready_certificates_are_refused`,
  `tests/bot/test_holiday_status.py::test_forged_and_foreign_application_buttons`,
  `tests/bot/test_insurance_quote.py::test_someone_elses_forged_and_unpriced_buttons_change_nothing`; each dialog's
  forged buttons, `tests/bot/test_early_repayment.py`, `test_refinancing.py` (`test_forged_buttons_change_nothing`),
  `test_feedback.py`, `test_person.py`, `test_paying.py::test_the_arrears_buttons_pressed_late_or_forged_are_answered`,
  `test_certificate_input.py`, `test_holiday_input.py`, `test_insurance_bad_input.py`; double and simultaneous taps on
  Confirm, `tests/bot/test_holiday_submit.py::test_a_double_tap_on_submit_sends_one_application`,
  `::test_two_taps_at_the_same_moment_send_one_application`, `tests/bot/test_early_repayment.py::
  test_double_confirm_files_one_case`, `::test_two_taps_at_once_file_one_case`, `tests/bot/test_refinancing.py::
  test_double_confirm_files_one_case`; the same update delivered twice, `tests/bot/test_once.py`; random presses in
  every state, `tests/bot/test_random_updates.py`.
- Another borrower's ids in API calls: `test_foreign_ids.py` (every borrower route with ids, every mix of A's and B's
  ids, with valid bodies: 404 `*_not_found`, nothing of B's in the body or changed; the routes with ids that are not
  a borrower's named with why). Per area, with the `other_loan_id` fixture of `tests/api/conftest.py`:
  `tests/api/test_feedback.py`, `test_holidays.py`, `test_insurance.py`, `test_insurance_quotes.py`,
  `test_support.py`.
- Calls without or with the wrong token: `test_tokens.py` (every route: no token, a wrong or malformed one, and each
  other kind of caller's token, a disabled staff member's included: 401 or 403; the right caller let in; operators
  refused a supervisor's route; an unlinked chat refused a borrower's route; the public health routes named with
  why). Elsewhere: `/metrics`, `tests/ops/test_backend_operations.py::test_metrics_need_the_token_when_one_is_set`
  and `tests/bot/test_operations.py::test_metrics_need_the_token_when_one_is_set`; the staff console's sign-in,
  `tests/console/test_sign_in.py` and `tests/console/test_access.py`.
- Webhook calls without the secret: `test_webhook.py` (no, a wrong, an empty or a nearly right secret: 401 and
  nothing dispatched, whatever the body; with the secret, a body that is not an update is a 400 logged by its size;
  oversized bodies, below). `ipoteka bot` itself refusing a wrong secret: `tests/bot/test_runner.py::
  test_webhook_mode_registers_and_answers`.
- Oversized bodies, declared and chunked: `test_oversized_bodies.py` (every backend route with a body: 413 unread when
  declared larger than the route takes, 413 within a chunk of the limit when streamed; the upload limit only for a
  route that takes a file) and `test_webhook.py` (the same over a socket to the webhook server). A file over the
  limit inside a form within it: `tests/api/test_insurance.py::test_size_limit`, `tests/api/test_documents.py`,
  `tests/api/test_holidays.py`; in the chat, a file Telegram says is large and one it says is small but is not,
  `tests/bot/test_insurance_bad_input.py`, `tests/bot/test_holiday_files.py`.
- Wrong or lying file types: `test_file_types.py` (a picture named `.pdf`, a PDF named `.exe`, `.pdf.gz` or `.docx`,
  a declared type that is not the bytes', an executable or script named as a picture or a PDF, a decompression bomb,
  on every upload route and in the chat, ru and en; the same files told the truth about are taken). Files that do
  not open, polyglots and empty files: `tests/api/test_documents.py::test_broken_files_are_422_with_the_reason`,
  `tests/api/test_insurance.py::test_other_content_is_415_whatever_the_declared_type`, `tests/bot/
  test_insurance_bad_input.py::test_files_that_will_not_do_are_refused_and_asked_for_again`, `tests/bot/
  test_holiday_files.py::test_wrong_types_and_sizes_are_refused_and_good_files_kept_by_id`.
"""
