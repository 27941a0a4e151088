//! OpenAPI descriptions of the CKAN routes. One handler ([`super::action`]) serves them all; these
//! functions exist only to carry the `#[utoipa::path]` attributes.

#![allow(dead_code)]

/// CKAN Action API (v3). Side-effect-free actions (`status_show`, `package_list`,
/// `package_search`, `package_show`, `current_package_list_with_resources`, `organization_list`,
/// `organization_show`, `group_list`, `group_show`, `tag_list`, `tag_show`, `license_list`,
/// `resource_show`, `datastore_search`) take URL parameters. Answers use CKAN's envelope
/// `{"help", "success", "result"}`; errors `{"help", "success": false, "error": {"__type", "message", …}}`
/// with 409 (Validation Error), 404 (Not Found Error), 403 (Authorization Error) or 400 (Search
/// Query Error).
#[utoipa::path(get, path = "/api/3/action/{name}", tag = "ckan",
    params(("name" = String, Path, description = "Action name, e.g. package_search")),
    responses((status = 200, description = "CKAN envelope with the action's result"),
        (status = 400, description = "Unknown action, bad request or Search Query Error"),
        (status = 403, description = "Authorization Error"),
        (status = 404, description = "Not Found Error"),
        (status = 409, description = "Validation Error")))]
pub fn get_v3() {}

/// CKAN Action API (v3) by POST: a JSON object, a form or a multipart form. Write actions
/// (`package_create`, `package_update`, `package_patch`, `resource_create`) need an API token in
/// `Authorization` (raw or `Bearer`) or `X-CKAN-API-Key`.
#[utoipa::path(post, path = "/api/3/action/{name}", tag = "ckan",
    params(("name" = String, Path, description = "Action name, e.g. package_create")),
    request_body(content = Object, description = "The action's parameters"),
    responses((status = 200, description = "CKAN envelope with the action's result"),
        (status = 400, description = "Unknown action, bad request or Search Query Error"),
        (status = 403, description = "Authorization Error"),
        (status = 404, description = "Not Found Error"),
        (status = 409, description = "Validation Error")))]
pub fn post_v3() {}

/// The same actions without the version in the path.
#[utoipa::path(get, path = "/api/action/{name}", tag = "ckan",
    params(("name" = String, Path, description = "Action name")),
    responses((status = 200, description = "CKAN envelope with the action's result"),
        (status = 400, description = "Unknown action, bad request or Search Query Error")))]
pub fn get_unversioned() {}

/// The same actions without the version in the path, by POST.
#[utoipa::path(post, path = "/api/action/{name}", tag = "ckan",
    params(("name" = String, Path, description = "Action name")),
    request_body(content = Object, description = "The action's parameters"),
    responses((status = 200, description = "CKAN envelope with the action's result"),
        (status = 400, description = "Unknown action, bad request or Search Query Error")))]
pub fn post_unversioned() {}
