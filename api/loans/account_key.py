"""The control key of a Russian bank account: the 9th of its 20 digits, checked against the bank's BIC.

The Bank of Russia's algorithm: the BIC's last three digits (the bank's number in the settlement network) are put
before the account; each of the 23 digits is multiplied by the weights 7, 1, 3 in turn; the sum of the products
must end in 0. A mistyped digit or two swapped neighbours almost always break it.
"""

import re

ACCOUNT = re.compile(r"^\d{20}$")
BIC = re.compile(r"^\d{9}$")
_WEIGHTS = (7, 1, 3) * 8
_KEY_INDEX = 8  # the 9th digit of the account


def _weighted(bic: str, account: str) -> int:
    return sum(int(digit) * weight for digit, weight in zip(bic[-3:] + account, _WEIGHTS, strict=False))


def key_matches(account: str, bic: str) -> bool:
    """True when `account` (20 digits) carries the right control key for an account at the bank with `bic`."""
    if not ACCOUNT.match(account) or not BIC.match(bic):
        return False
    return _weighted(bic, account) % 10 == 0


def with_key(account: str, bic: str) -> str:
    """`account` with its 9th digit replaced by the control key that makes it valid at the bank with `bic`."""
    blank = account[:_KEY_INDEX] + "0" + account[_KEY_INDEX + 1 :]
    key = _weighted(bic, blank) % 10 * 3 % 10
    return blank[:_KEY_INDEX] + str(key) + blank[_KEY_INDEX + 1 :]
