"""The server's pages: sign-in, the app, over the cap, refused, the calendar address.

Everything a page needs comes from the server itself: textual-serve's own ``textual.js``,
``xterm.css`` and Roboto Mono (declared here with ``@font-face``, where textual-serve's
template asks a web-font CDN a county intranet cannot reach), and system fonts for the rest.
Every value shown is escaped; the Content-Security-Policy (``csp``) lets a page load only from
the server and run only its own scripts.
"""

from __future__ import annotations

from html import escape

from tracker import i18n

FONT = "/static/fonts/RobotoMono-VariableFont_wght.ttf"
FONT_ITALIC = "/static/fonts/RobotoMono-Italic-VariableFont_wght.ttf"

_BASE_CSS = """
html, body { margin: 0; padding: 0; }
body { box-sizing: border-box; min-height: 100vh; padding: 12vh 0 2rem;
  background: #0c181f; color: #e8eef2;
  font: 16px/1.5 system-ui, "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei",
  "PingFang SC", sans-serif; }
.card { box-sizing: border-box; width: min(92vw, 24rem); margin: 0 auto;
  padding: 2rem; background: #12232d; border-radius: 6px; }
h1 { margin: 0 0 1.25rem; font-size: 1.4rem; font-weight: 600; }
label { display: block; margin: 0.9rem 0 0.3rem; }
input { box-sizing: border-box; width: 100%; padding: 0.55rem 0.7rem; font: inherit;
  color: #0c181f; background: #f4f7f9; border: 1px solid #5c7a8a; border-radius: 4px; }
button, .button { display: inline-block; margin-top: 1.4rem; padding: 0.55rem 1.4rem;
  font: inherit; color: #fff; background: #2f6f9f; border: 0; border-radius: 4px;
  text-decoration: none; cursor: pointer; }
.error { margin: 0.9rem 0 0; color: #ff9b8f; }
p { margin: 0.6rem 0; }
code { word-break: break-all; }
"""


def csp(nonce: str) -> str:
    """Scripts only from the server and the page's own nonce; nothing from elsewhere."""
    return (
        "default-src 'none'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        "style-src 'self' 'unsafe-inline'; "  # textual.js adds its styles as <style> tags
        "font-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )


def _html_lang(lang: str) -> str:
    return "zh-CN" if lang == "zh" else "en"


def _page(lang: str, title: str, body: str, *, head: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{_html_lang(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_BASE_CSS}</style>\n{head}</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def login_page(lang: str, *, nonce: str, name: str = "", error: str | None = None) -> str:
    """The sign-in form: ``name`` and ``password``, posted to ``/login``."""
    t = i18n.t
    shown_error = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    focus_name = "" if name else " autofocus"
    focus_password = " autofocus" if name else ""
    body = f"""<main class="card">
<h1>{escape(t("serve.login.heading", lang))}</h1>
<form method="post" action="/login">
<label for="name">{escape(t("serve.login.name", lang))}</label>
<input id="name" name="name" autocomplete="username" maxlength="64" required
 value="{escape(name)}"{focus_name}>
<label for="password">{escape(t("serve.login.password", lang))}</label>
<input id="password" name="password" type="password" autocomplete="current-password"
 maxlength="1024" required{focus_password}>
{shown_error}
<button type="submit">{escape(t("serve.login.submit", lang))}</button>
</form>
</main>"""
    field = "password" if name else "name"
    script = (
        f'<script nonce="{escape(nonce)}">document.addEventListener("DOMContentLoaded",'
        f' function () {{ document.getElementById("{field}").focus(); }});</script>\n'
    )
    return _page(lang, t("serve.login.title", lang), body, head=script)


def message_page(lang: str, title: str, text: str, *, link: tuple[str, str] | None = None) -> str:
    """A page that says one thing (over the cap, refused, signed out), with a way on."""
    more = ""
    if link is not None:
        href, label = link
        more = f'<a class="button" href="{escape(href)}">{escape(label)}</a>'
    body = f'<main class="card">\n<h1>{escape(title)}</h1>\n<p>{escape(text)}</p>\n{more}\n</main>'
    return _page(lang, title, body)


def busy_page(lang: str, limit: int, retry_seconds: int) -> str:
    """For the visitor over ``--max-sessions``: what happened and that it is worth a retry."""
    title = i18n.t("serve.busy.title", lang)
    text = i18n.t("serve.busy.text", lang, limit=limit, seconds=retry_seconds)
    page = message_page(lang, title, text, link=("/", i18n.t("serve.busy.retry", lang)))
    refresh = f'<meta http-equiv="refresh" content="{int(retry_seconds)}">\n'
    return page.replace("<title>", refresh + "<title>", 1)


def calendar_page(lang: str, url: str) -> str:
    """The signed-in person's own calendar address, to subscribe to in a calendar app."""
    title = i18n.t("serve.calendar.title", lang)
    body = (
        f'<main class="card">\n<h1>{escape(title)}</h1>\n'
        f"<p>{escape(i18n.t('serve.calendar.text', lang))}</p>\n"
        f'<p><code>{escape(url)}</code></p>\n<a class="button" href="/">'
        f"{escape(i18n.t('serve.calendar.back', lang))}</a>\n</main>"
    )
    return _page(lang, title, body)


_APP_CSS = f"""
@font-face {{ font-family: "Roboto Mono"; font-style: normal; font-weight: 100 700;
  src: url("{FONT}") format("truetype"); }}
@font-face {{ font-family: "Roboto Mono"; font-style: italic; font-weight: 100 700;
  src: url("{FONT_ITALIC}") format("truetype"); }}
html, body {{ margin: 0; padding: 0; width: 100%; height: 100%; overflow: hidden;
  background: #0c181f; }}
#terminal {{ position: fixed; top: 0; left: 0; right: 0; bottom: 0;
  width: 100vw; height: 100vh; overflow: hidden; }}
.ended {{ display: none; position: fixed; inset: 0; z-index: 10; align-items: center;
  justify-content: center; background: rgba(12, 24, 31, 0.92); color: #e8eef2;
  font: 16px/1.5 system-ui, "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif; }}
body.-closed .ended {{ display: flex; }}
.ended a {{ margin: 0 0.6rem; padding: 0.5rem 1.2rem; color: #fff; background: #2f6f9f;
  border-radius: 4px; text-decoration: none; }}
"""

# textual.js starts the terminal from ``window.onload``. Before it does: the WebSocket's
# address from the page's own (whatever name or proxy the browser came through) and Roboto
# Mono loaded (so the first size the browser measures is the one it keeps). Once the socket
# is open (textual.js marks the body ``-loaded``): the keyboard focus in the terminal, so keys
# work without a first click (and the app hears it has the focus).
_APP_JS = """
(function () {
  var boot = window.onload;
  window.onload = function (event) {
    var el = document.getElementById("terminal");
    var scheme = location.protocol === "https:" ? "wss:" : "ws:";
    el.dataset.sessionWebsocketUrl = scheme + "//" + location.host + "/ws";
    var start = function () {
      if (boot) { boot(event); }
      var watch = setInterval(function () {
        if (!document.body.classList.contains("-loaded")) { return; }
        clearInterval(watch);
        var input = el.querySelector("textarea");
        if (input) { input.focus(); }
      }, 30);
    };
    if (document.fonts && document.fonts.load) {
      document.fonts.load('16px "Roboto Mono"').then(start, start);
    } else {
      start();
    }
  };
})();
"""


def app_page(lang: str, *, nonce: str, title: str, ws_url: str, font_size: int) -> str:
    """The app: textual-serve's terminal, fed by ``/ws``."""
    t = i18n.t
    head = (
        f'<link rel="preload" href="{FONT}" as="font" type="font/ttf" crossorigin>\n'
        '<link rel="stylesheet" href="/static/css/xterm.css">\n'
        f"<style>{_APP_CSS}</style>\n"
        '<script src="/static/js/textual.js"></script>\n'
        f'<script nonce="{escape(nonce)}">{_APP_JS}</script>\n'
    )
    body = (
        f'<div class="ended" role="alert"><span>{escape(t("serve.app.ended", lang))}</span>'
        f'<a href="/">{escape(t("serve.app.reconnect", lang))}</a>'
        f'<a href="/logout">{escape(t("serve.app.logout", lang))}</a></div>\n'
        f'<div id="terminal" class="textual-terminal" data-session-websocket-url="'
        f'{escape(ws_url)}" data-font-size="{int(font_size)}"></div>'
    )
    page = _page(lang, title, body, head=head)
    return page.replace(f"<style>{_BASE_CSS}</style>\n", "", 1)
