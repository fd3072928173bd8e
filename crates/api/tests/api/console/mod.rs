//! The web console through HTTP, as a browser drives it: sign-in and its cookie, CSRF on every
//! form, the pages' permission-aware content, bulk triage, tenant switching, logout, and the live
//! feed opened with the session cookie (Origin-checked). The console is served by the same
//! process as the API, so these run in the API's test binary with its `TestApp`.

mod admin;
mod channels;
mod live_feed;
mod pages;
mod rules;
mod session;
mod surface;

use testapp::TestApp;

/// The console's public origin in tests (`test_settings().notify.public_url`).
pub const ORIGIN: &str = "https://palisade.test";

/// A browser's view of the console: its session cookie and the last page's CSRF token.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub session: Option<String>,
}

/// What a console request answered.
pub struct Answer {
    pub status: u16,
    pub location: Option<String>,
    pub set_cookies: Vec<String>,
    pub body: String,
}

impl Answer {
    /// The value the page's forms carry in their `_csrf` field.
    pub fn csrf(&self) -> String {
        field_value(&self.body, "_csrf").expect("a CSRF field on the page")
    }
}

/// The `value` of the first input named `name` in `html`.
pub fn field_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_string())
}

/// The value of cookie `name` in `Set-Cookie` headers.
pub fn cookie_value(set_cookies: &[String], name: &str) -> Option<String> {
    set_cookies.iter().find_map(|c| {
        let (pair, _) = c.split_once(';').unwrap_or((c, ""));
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| value.to_string())
    })
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Browser<'a> {
        Browser { app, session: None }
    }

    async fn answer(&mut self, request: reqwest::RequestBuilder) -> Answer {
        let request = match &self.session {
            Some(session) => request.header("cookie", format!("palisade_session={session}")),
            None => request,
        };
        let response = request.send().await.expect("send console request");
        let status = response.status().as_u16();
        let location = response.headers().get("location").map(|v| v.to_str().unwrap().to_string());
        let set_cookies: Vec<String> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect();
        if let Some(session) = cookie_value(&set_cookies, "palisade_session") {
            self.session = Some(session).filter(|s| !s.is_empty());
        }
        Answer { status, location, set_cookies, body: response.text().await.unwrap_or_default() }
    }

    pub async fn get(&mut self, path: &str) -> Answer {
        let request = self.app.client.get(self.app.url(path));
        self.answer(request).await
    }

    /// Posts `fields` url-encoded from the console's origin.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        self.post_from(ORIGIN, path, fields).await
    }

    pub async fn post_from(&mut self, origin: &str, path: &str, fields: &[(&str, &str)]) -> Answer {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let request = self
            .app
            .client
            .post(self.app.url(path))
            .header("origin", origin)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.answer(request).await
    }

    /// Signs in through the login form; panics unless it lands on `/`.
    pub async fn sign_in(&mut self, email: &str, password: &str, tenant: Option<&str>) {
        let answer = self.try_sign_in(email, password, tenant).await;
        assert_eq!(answer.status, 303, "sign-in of {email} failed: {}", answer.body);
        assert!(self.session.is_some(), "no session cookie after sign-in");
    }

    pub async fn try_sign_in(
        &mut self,
        email: &str,
        password: &str,
        tenant: Option<&str>,
    ) -> Answer {
        let form = self.get("/login").await;
        let token = field_value(&form.body, "_login").expect("a login form token");
        let cookie = cookie_value(&form.set_cookies, "palisade_login").expect("a login cookie");
        let body = serde_urlencoded::to_string([
            ("_login", token.as_str()),
            ("email", email),
            ("password", password),
            ("tenant", tenant.unwrap_or("")),
            ("next", "/"),
        ])
        .unwrap();
        let request = self
            .app
            .client
            .post(self.app.url("/login"))
            .header("origin", ORIGIN)
            .header("cookie", format!("palisade_login={cookie}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.answer(request).await
    }
}
