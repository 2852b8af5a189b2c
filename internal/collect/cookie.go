package collect

import (
	"fmt"
	"os"
	"strings"
)

// CookieEnv is the environment variable that may hold a worker's Cookie header value.
const CookieEnv = "HITWAGE_MTURK_COOKIE"

// LoadCookie returns the Cookie header value from file (when given) or else from the
// CookieEnv variable; "" when neither is set. The value is a secret: callers pass it to
// Options.Cookie and never log or store it. Errors name the file, never its content.
func LoadCookie(file string) (string, error) {
	if file == "" {
		return cleanCookie(os.Getenv(CookieEnv), CookieEnv)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("collect: cookie file: %w", err)
	}
	return cleanCookie(string(b), file)
}

// cleanCookie trims the value and refuses line breaks and control characters, which
// would let the value forge headers.
func cleanCookie(v, from string) (string, error) {
	v = strings.TrimSpace(v)
	v = strings.TrimPrefix(v, "Cookie:")
	v = strings.TrimSpace(v)
	for i, r := range v {
		if r < 0x20 || r == 0x7f {
			return "", fmt.Errorf("collect: cookie from %s: control character at byte %d; want one line of name=value pairs", from, i)
		}
	}
	return v, nil
}
