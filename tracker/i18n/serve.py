"""Strings of ``tracker serve``: its start-up errors, pages, refusals and log lines."""

CATALOG: dict[str, tuple[str, str]] = {
    # start-up (exit 2)
    "serve.serving": ("正在服务：{url}（Ctrl+C 停止）", "serving on {url} (Ctrl+C to stop)"),
    "serve.cannot_listen": (
        "无法在 {host}:{port} 上监听：{reason}（端口被占用时请用 --port 换一个）",
        "cannot listen on {host}:{port}: {reason} (if the port is taken, pick another with --port)",
    ),
    "serve.open_needs_loopback": (
        "数据库尚未启用人员管理（无需登录），只能在本机地址上服务：--host {host} 被拒绝；"
        "请先用 tracker people add 添加人员，或使用 --host localhost",
        "the database has no roster (nobody signs in), so it is served on loopback addresses"
        " only: --host {host} refused; add people first (tracker people add) or use"
        " --host localhost",
    ),
    "serve.trust_needs_loopback": (
        "--trust-header 要求只在本机地址上监听（由同一台机器上的反向代理转发）："
        "--host {host} 被拒绝",
        "--trust-header needs a loopback --host (the proxy on this machine forwards to it):"
        " --host {host} refused",
    ),
    "serve.bad_header": (
        "--trust-header 不是合法的 HTTP 头名称：{header}",
        "--trust-header is not an HTTP header name: {header}",
    ),
    "serve.bad_public_url": (
        "--public-url 须为 http:// 或 https:// 开头、不带路径的地址：{url}",
        "--public-url must be an http:// or https:// address without a path: {url}",
    ),
    "serve.bad_max_sessions": (
        "--max-sessions 须至少为 1：{value}",
        "--max-sessions must be at least 1: {value}",
    ),
    # sign-in page
    "serve.login.title": ("登录 · 任务跟踪", "Sign in · tracker"),
    "serve.login.heading": ("登录任务跟踪", "Sign in to tracker"),
    "serve.login.name": ("姓名", "Name"),
    "serve.login.password": ("密码", "Password"),
    "serve.login.submit": ("登录", "Sign in"),
    "serve.login.wrong": (
        "姓名或密码不正确（没有密码的人员请联系管理员用 tracker people passwd 设置）",
        "wrong name or password (people without one: ask an admin for tracker people passwd)",
    ),
    # the app page
    "serve.app.title": ("任务跟踪", "tracker"),
    "serve.app.ended": ("会话已结束。", "The session has ended."),
    "serve.app.reconnect": ("重新连接", "Reconnect"),
    "serve.app.logout": ("退出登录", "Sign out"),
    "serve.app.failed": ("程序未能启动：{reason}", "the app did not start: {reason}"),
    # over the cap
    "serve.busy.title": ("访问人数已满", "Too many visitors right now"),
    "serve.busy.text": (
        "同时在线的人数已达上限（{limit} 人）。本页将在 {seconds} 秒后自动重试，也可以稍后再来。",
        "The server is already serving its limit of {limit} visitors at once. This page tries"
        " again in {seconds} seconds; you may also come back later.",
    ),
    "serve.busy.retry": ("立即重试", "Try again now"),
    "serve.busy.terminal": (
        "访问人数已满（上限 {limit} 人），请稍后刷新页面重试。",
        "Too many visitors right now (the limit is {limit}): reload the page in a while.",
    ),
    # refusals
    "serve.refused.title": ("请求被拒绝", "Request refused"),
    "serve.refused.origin": ("来自其他网站的请求被拒绝", "a request from another site is refused"),
    "serve.refused.host": (
        "本服务只接受本机地址的访问，不接受“{host}”",
        "this server answers loopback addresses only, not {host}",
    ),
    "serve.refused.no_header": (
        "缺少反向代理的身份头 {header}：请通过代理登录访问",
        "no {header} header from the signing-in proxy: go through the proxy",
    ),
    "serve.refused.unknown": ("“{name}”不在人员名单中", "{name} is not in the roster"),
    "serve.refused.no_session": ("请先登录", "sign in first"),
    "serve.error.title": ("服务器内部错误", "Server error"),
    "serve.error.text": (
        "出现了意外错误，已记录在服务器日志中。",
        "Something went wrong; it is in the server's log.",
    ),
    # calendar feeds
    "serve.calendar.title": ("我的日历订阅", "My calendar feed"),
    "serve.calendar.text": (
        "在日历应用中订阅下面的地址即可看到自己的任务时限。请勿外传：知道地址的人都能看到。",
        "Subscribe to this address in a calendar app to see your deadlines. Keep it to"
        " yourself: anyone who has it can read them.",
    ),
    "serve.calendar.back": ("返回", "Back"),
    # the server's log
    "serve.log.refused": ("已拒绝 {client}：{why}", "refused {client}: {why}"),
    "serve.log.internal": ("内部错误：{kind}: {message}", "internal error: {kind}: {message}"),
    "serve.log.signed_in": ("{name} 已登录（{client}）", "{name} signed in from {client}"),
    "serve.log.signin_failed": (
        "登录失败：“{name}”（{client}）",
        "failed sign-in as {name!r} from {client}",
    ),
    "serve.log.app_said": ("{name} 的程序：{text}", "{name}'s app: {text}"),
    "serve.log.app_signalled": (
        "{name} 的程序未及时退出，已发送 {sig}",
        "{name}'s app did not leave in time: sent {sig}",
    ),
    "serve.watchdog": (
        "tracker tui：浏览器已离开，{seconds} 秒内未能正常退出，进程已结束",
        "tracker tui: the browser left and the app did not exit within {seconds} s: ended",
    ),
}
