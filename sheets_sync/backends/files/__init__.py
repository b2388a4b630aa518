"""Files on disk, whatever their format: one sync at a time, limits before parsing, OS errors.

`sync_lock` (a lock beside the workbook), `package_guard` (size, parts, ratios checked
before any parser), `zip_raw` (zip members copied compressed), `os_reasons` (French causes).
"""
