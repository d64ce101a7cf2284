"""The office documents the portal accepts as supporting files (an e-APD declaration's, a funding dossier's
attachments), recognised by their content, never by their name nor the browser's content type."""

import zipfile

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
# What a supporting document may be, recognised by its content: kind -> (extension, content type).
DOCUMENT_KINDS = {
    "pdf": ("pdf", "application/pdf"),
    "odt": ("odt", "application/vnd.oasis.opendocument.text"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
XLSX_MAIN_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def document_kind(file):
    """ "pdf", "odt" or "xlsx" from the bytes of an uploaded file (never from its name nor the browser's
    content type), or None. An ODF file is a zip whose first entry, "mimetype", names its type; an XLSX file
    a zip whose [Content_Types].xml declares a spreadsheet workbook."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if names[:1] == ["mimetype"]:
                mimetype = archive.read("mimetype").strip()
                return "odt" if mimetype == DOCUMENT_KINDS["odt"][1].encode() else None
            if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
                info = archive.getinfo("[Content_Types].xml")
                # Read a bounded amount: the manifest of a real workbook is a few kilobytes.
                if info.file_size < 1024 * 1024 and XLSX_MAIN_TYPE in archive.read(info):
                    return "xlsx"
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
        return None
    finally:
        file.seek(0)
    return None
