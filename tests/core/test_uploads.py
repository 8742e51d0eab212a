"""The one upload check (duixian/core/uploads.py): size, emptiness, type from content, own words."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from duixian.core.uploads import IMAGES_AND_PDF, OFFICE_DOCUMENTS, Refusals, UploadRefused, check_upload

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BOTH = {**IMAGES_AND_PDF, **OFFICE_DOCUMENTS}


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def word() -> bytes:
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return zipped({"[Content_Types].xml": f'<Types><Override PartName="/word/document.xml" ContentType="{main}"/></Types>',
                   "word/document.xml": "<w:document/>"})


def test_the_copy_has_the_bytes_their_hash_and_the_type_read_from_content():
    import hashlib

    with check_upload(SimpleUploadedFile("扫描件.png", PDF), max_bytes=1024) as checked:
        assert (checked.extension, checked.content_type) == ("pdf", "application/pdf")
        assert checked.read() == PDF and checked.size == len(PDF)
        assert checked.sha256 == hashlib.sha256(PDF).hexdigest()
        assert checked.as_file().read() == PDF  # rewound for the storage


def test_a_zip_is_a_docx_only_when_it_declares_a_word_main_part():
    with check_upload(SimpleUploadedFile("合同.zip", word()), max_bytes=1 << 20, allowed=BOTH) as checked:
        assert checked.extension == "docx"
    plain = zipped({"readme.txt": "hello"})
    with pytest.raises(UploadRefused, match="不是 PDF、JPG、PNG、DOCX 或 XLSX 文件"):
        check_upload(SimpleUploadedFile("合同.docx", plain), max_bytes=1 << 20, allowed=BOTH)
    # Where only images and PDF are allowed, a real Word file is refused too.
    with pytest.raises(UploadRefused, match="不是 PDF、JPG 或 PNG 文件"):
        check_upload(SimpleUploadedFile("合同.docx", word()), max_bytes=1 << 20)


def test_a_declared_size_that_lies_is_caught_while_reading():
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 3000)
    upload.size = 10  # what a client claimed
    with pytest.raises(UploadRefused, match="超过"):
        check_upload(upload, max_bytes=2048)


def test_empty_files_and_each_callers_own_words():
    refusals = Refusals(too_big="太大了（{size_mb:.1f} MB，上限 {limit_mb} MB）", empty="{name} 是空的",
                        wrong_type="只收 {kinds}")
    with pytest.raises(UploadRefused, match="^a.pdf 是空的$"):
        check_upload(SimpleUploadedFile("a.pdf", b""), max_bytes=1024, refusals=refusals)
    with pytest.raises(UploadRefused, match=r"^太大了（2\.0 MB，上限 1 MB）$"):
        check_upload(SimpleUploadedFile("a.pdf", PDF + b"0" * (2 * 1024 * 1024 - len(PDF))), max_bytes=1024 * 1024,
                     refusals=refusals)
    with pytest.raises(UploadRefused, match="^只收 PDF、JPG 或 PNG$"):
        check_upload(SimpleUploadedFile("a.pdf", b"MZ\x90\x00" + b"\x00" * 64), max_bytes=1024, refusals=refusals)
