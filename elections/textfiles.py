"""The portal's side of the one decoder of every import (the pure ``textfiles`` package): messages
translated with Django's gettext, the line limit and size limits from the settings. Every app
imports the decoder from here; the counting engine, which imports no Django, uses ``textfiles``."""

from django.conf import settings
from django.utils.translation import gettext

from textfiles import (  # noqa: F401 - this module is the decoder, configured for the portal
    CHUNK,
    DEFAULT_MAX_LINE_LENGTH,
    ENCODING_NAMES,
    Decoded,
    TextFileError,
    check_size,
    configure,
    decode,
    max_line_length,
    open_text,
    read_upload,
    scan,
    scan_file,
    size_label,
)


def setting_bytes(name: str, default_mb: int) -> int:
    """A size limit from the settings (in megabytes) as bytes."""
    return int(getattr(settings, name, default_mb) * (1 << 20))


configure(
    translate=gettext,
    max_line_length=lambda: getattr(settings, "IMPORT_MAX_LINE_LENGTH", DEFAULT_MAX_LINE_LENGTH),
)
