"""Arabic: one date format everywhere (pages, admin, labels): day, month in letters, year, e.g. "30 نوفمبر 2026",
with a 24-hour time ("30 نوفمبر 2026، 12:58"), never "11/30/2026 12:58 م" or a bare "30/11/2026".

Numbers keep the Western digits the teams type and the phones show, grouped by thousands with the separators that go
with those digits in Arabic (CLDR's Arabic with Latin digits: "12,500.5"); Django's default for Arabic groups with a
dot, which reads as a decimal point next to the English figures of the same report.
"""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 6  # Saturday
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M",
                          "%d/%m/%Y %H:%M"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
