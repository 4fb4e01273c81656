from __future__ import annotations


def render_pdf(html: str, *, base_url: str) -> bytes:
    """HTML to PDF with WeasyPrint; imported here because loading Pango is slow."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()  # type: ignore[no-any-return]
