"""schemathesis hooks for the satudata OpenAPI test (crates/http/tests/interop_clients.rs).

schemathesis serialises only the media types it knows. XLSX uploads (POST /api/v1/plan-items/import)
are bytes like application/octet-stream, so they are sent the same way.
"""

import schemathesis

schemathesis.serializer.alias(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/octet-stream",
)
