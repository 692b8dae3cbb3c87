"""The requests a borrower can type, one per dialog they start, certificate kind and settings item.

The names are the phrase sets' section headers and the labels in logs and metrics: never rename one."""

from enum import StrEnum


class Intent(StrEnum):
    BALANCE = "balance"  # balance and progress to payoff
    HOW_TO_PAY = "how_to_pay"
    EARLY_REPAYMENT = "early_repayment"
    INTEREST_CERTIFICATE = "interest_certificate"  # interest paid, for the tax deduction
    DEBT_CERTIFICATE = "debt_certificate"  # outstanding debt
    CLOSURE_CERTIFICATE = "closure_certificate"  # the loan is repaid
    SCHEDULE = "schedule"  # the repayment schedule
    MY_REQUESTS = "my_requests"  # certificates and applications already asked for
    INSURANCE = "insurance"
    HOLIDAY = "holiday"  # apply for a payment holiday
    HOLIDAY_STATUS = "holiday_status"
    HARDSHIP = "hardship"  # lost a job, ill, cannot pay: a calm answer, the pre-check and a person
    REFINANCING = "refinancing"  # refinancing, a family or co-borrower change
    PERSON = "person"
    FEEDBACK = "feedback"
    LANGUAGE = "language"
    REMINDERS_ON = "reminders_on"
    REMINDERS_OFF = "reminders_off"
    REMINDER_DAYS = "reminder_days"
    REMINDER_HOURS = "reminder_hours"
    TIME_ZONE = "time_zone"
    UNLINK = "unlink"
    HELP = "help"
    GREETING = "greeting"
    THANKS = "thanks"
    COMPLAINT = "complaint"
