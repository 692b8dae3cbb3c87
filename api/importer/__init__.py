"""The CSV first load: the bank's files go through the same schemas and upserts as the integration API.

Every file starts with a header row naming its columns (in any order; * = required, the rest may be
left out or left empty). UTF-8 text (a BOM is fine); cells separated by `;` or `,` (taken from the
header row); an empty cell means the field is missing; amounts may have a decimal comma and spaces
between thousands (`4 000 000,00`); dates are `YYYY-MM-DD` or `DD.MM.YYYY`. Values in parentheses
are the accepted choices and, after `=`, the default.

borrowers: external_id*, last_name*, first_name*, middle_name, phone* (a valid number; a Russian one
  may omit +7), birth_date*, language (ru | en, =ru), time_zone (IANA name, =Europe/Moscow).

loans: external_id*, borrower_external_id*, contract_number*, contract_date*, principal*,
  rate_percent* (annual, 12.5 means 12.5%), term_months*, first_payment_date*, payment_day (1-31,
  =the first payment's day), day_count (how interest is counted: monthly | actual_365 | actual_actual,
  =monthly), status (active | closed, =active), closed_on (for a closed loan only),
  property_address*, property_is_only_home (true | false, =true), repayment_account* (the loan's own
  20-digit account for repayments).

payments: external_id*, loan_external_id*, paid_on*, amount*, kind (regular | early, =regular),
  early_mode (shorter_term | smaller_payment, for an early repayment only).

policies: external_id*, loan_external_id*, kind* (property | life | title), insurer*,
  policy_number*, starts_on*, expires_on*, premium.
"""
