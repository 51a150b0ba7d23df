"""The module proxy presets ``gorig proxy set`` offers: data only, so the doctor (whose
start-up is measured) can tell a preset the user chose from an unknown mirror."""

PRESETS: dict[str, dict[str, str]] = {
    "official": {"GOPROXY": "https://proxy.golang.org,direct", "GOSUMDB": "sum.golang.org"},
    "cn": {"GOPROXY": "https://goproxy.cn,direct"},
    "io": {"GOPROXY": "https://goproxy.io,direct"},
    "aliyun": {"GOPROXY": "https://mirrors.aliyun.com/goproxy/,direct"},
}
