"""Date and time formats for the admin and Django's default formatting (FORMAT_MODULE_PATH).

Times are written on the 24-hour clock everywhere, as the site's own pages do
("5 March 2025, 14:30"), not Django's locale default of "2:30 p.m.". Only the
formats that differ from Django's own for the language are set here.
"""
