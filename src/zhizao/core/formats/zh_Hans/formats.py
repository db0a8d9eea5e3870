"""zh-Hans number formats: Django's own leave out the thousands separator (1100000); Chinese
statistical tables group by three with a comma (1,100,000), as the English pages do. Every other
format falls back to Django's zh_Hans module."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
