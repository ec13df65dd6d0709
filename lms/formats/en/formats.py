"""English date formats for an international readership.

Django's default English formats are American ("Feb. 15, 2027", "02/15/2027"), which readers in
Central Asia and at UN agencies misread. Dates here read "15 February 2027" and, short, "15 Feb 2027":
day first and never ambiguous. Times are 24-hour, as on every other page of the site.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2027-02-15' (what <input type="date"> sends)
    "%d.%m.%Y",  # '15.02.2027'
    "%d/%m/%Y",  # '15/02/2027'
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
