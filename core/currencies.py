"""ISO 4217 minor units: how many decimal places each currency's amounts have.

Source: ISO 4217 "List One" (current currency & funds code list), published by SIX on
behalf of the ISO 4217 Maintenance Agency, https://www.six-group.com/en/products-services/
financial-information/data-standards.html (list_one.xml, column CcyMnrUnts), as amended
to 2025 (XCG from amendment 176, ZWG from amendment 177). One entry per code; the table
is the data, so a code is added here when ISO publishes it.

Not babel's `get_currency_precision`: that is CLDR's display / cash precision, which
differs from ISO for HUF, IDR, COP, IQD and others (CLDR says 0 digits, ISO 2 or 3); an
amount valid in ISO 4217 (HUF 1234.50) would be refused or its minor units read 100x off.
"""

from __future__ import annotations

# Codes with minor units N.A. in List One: precious metals, bond-market units, the
# SDR, Sucre, ADB unit of account, the testing code and "no currency". Valid ISO codes,
# but not money a sale can be in.
NOT_MONEY: frozenset[str] = frozenset(
    {"XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX"}
)

_ZERO = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE = "BHD IQD JOD KWD LYD OMR TND"
_FOUR = "CLF UYW"
_TWO = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN "
    "BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN "
    "ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES "
    "KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK "
    "MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR "
    "SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD "
    "TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG"
)

# Current codes (List One) → minor units.
CURRENT: dict[str, int] = {
    **dict.fromkeys(_TWO.split(), 2),
    **dict.fromkeys(_ZERO.split(), 0),
    **dict.fromkeys(_THREE.split(), 3),
    **dict.fromkeys(_FOUR.split(), 4),
}

# Withdrawn lately (List Three), with the minor units they had: amounts stored or sent
# in them before the change still read right (HRK → EUR 2023, SLL → SLE, ZWL → ZWG 2024).
WITHDRAWN: dict[str, int] = {"HRK": 2, "SLL": 2, "ZWL": 2, "VEF": 2, "MRO": 2, "STD": 2}

MINOR_UNITS: dict[str, int] = {**WITHDRAWN, **CURRENT}
