package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Bounds of the crawl: it is breadth-first, so the bounds cut the long tail
// of filter and page combinations, not whole kinds of page.
const (
	crawlMaxPages   = 260 // pages fetched per crawl
	crawlMaxPerPath = 4   // URLs per path (they differ in their query)
)

// hostileParams are the values put into every path parameter of the web
// routes and the API, as they appear in the URL (already escaped).
var hostileParams = []string{
	"..%2f..", "..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e", strings.Repeat("x", 4000), "%E2%80%AEunicode-%C3%BC%F0%9F%92%A5",
	"%00", "a%00b", "%ff%fe", "%3Cospo-pwn%3E" + reflected, "%22%3E%3Cimg%20src%3Dx%20onerror%3DospoPwnMark(1)%3E" + reflected, "javascript:ospoPwnMark(1)" + reflected,
	"-1", "0", "99999999999999999999999", "1e3", "%20", "%25", "%5C..%5C", "@", "pkg:npm%2F%3Cospo-pwn%3E@1",
}

// reflected marks the hostile values a request sends (the estate's strings
// lack it): a page that holds it shows what the request asked for.
const reflected = "ospoReflected"

// webParamRoutes are the web routes with path parameters; {…} is replaced
// by real keys of the estate and by every hostile parameter.
var webParamRoutes = []string{
	"/projects/{id}", "/projects/{id}/health", "/projects/{id}/badge.svg", "/projects/{id}/docs", "/projects/{id}/docs/{name}",
	"/projects/{id}/docs/_files/{name}", "/technologies/{tech}", "/people/{person}", "/people/{person}/badges/{badge}/credential.json",
	"/teams/{team}", "/teams/{team}/health", "/resources/{name}", "/resources/_files/{name}", "/requests/{id}", "/requests/{id}/evidence.json",
	"/requests/{id}/evidence.html", "/pushes/{id}", "/external/{name}",
}

// TestHostileCrawl scans an estate whose every repository-controlled string
// is hostile, then crawls the hub as a stranger (a loopback hub without
// accounts) and as an admin: every page reachable from / in real Chromium,
// every web route and every GET path of the OpenAPI description with real
// and hostile parameters. No answer is a 5xx, no page holds an element or
// attribute the hostile strings would create were they not escaped, no
// script or dialog runs, no link is a javascript: URL, and the API answers
// JSON, its errors in the documented shape.
//
// OSPO_CRAWL_DEBUG=1 logs each page opened in the browser;
// OSPO_CRAWL_DUMP=FILE appends status, type, path and the start of the body
// of every answer to FILE.
func TestHostileCrawl(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls a hub in a browser")
	}
	root, resources := buildHostileEstate(t)
	db := t.TempDir() + "/ospo.db"
	env := []string{"OSPO_DB=" + db}
	if r := run(t, env, "scan", "--workers", "2", root); r.code != 0 {
		t.Fatalf("scan exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	ctx, csp := newBrowserFor(t, 5*time.Minute)
	screenshotOnFailure(t, ctx)
	b := hostileBrowser(t, ctx)

	// A stranger on a loopback hub without accounts reads everything.
	open := startServe(t, env, "--resources", resources)
	waitReady(t, open)
	c := newCrawler(t, ctx, b, open, &http.Client{})
	c.run()
	c.api()
	c.report("signed out")

	// An admin on a hub that requires sign-in, who is a person of the
	// estate (her "me" page and inbox show its hostile strings).
	const admin = "ann@example.com"
	add := exec.Command(ospoBinary(t), "users", "add", admin, "--role", "admin", "--password-stdin")
	add.Env = append(os.Environ(), env...)
	add.Stdin = strings.NewReader(browserPassword + "\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("users add: %v %s", err, out)
	}
	signed := startServe(t, env, "--resources", resources)
	waitReady(t, signed)
	do(t, ctx, "open the signed-in hub", chromedp.Navigate(signed+"/me"))
	signIn(t, ctx, admin)
	do(t, ctx, "see me", chromedp.WaitVisible(`//h1[text()="`+admin+`"]`))
	c2 := newCrawler(t, ctx, b, signed, sessionClient(t, ctx, signed))
	c2.run()
	c2.api()
	c2.report("admin")
	tok := checkFeed(t, env, signed, admin)

	// The API again with her read token instead of a session.
	c3 := newCrawler(t, nil, nil, signed, &http.Client{Transport: bearer(tok)})
	c3.collectIDs()
	c3.api()
	t.Logf("token: %d API answers; statuses %v", c3.apiN, c3.status)

	if v := csp.all(); len(v) > 0 {
		t.Errorf("Content-Security-Policy violations (markup from the estate reached a page):\n%s", strings.Join(v, "\n"))
	}
	if d := b.dialogs(); len(d) > 0 {
		t.Errorf("JavaScript dialogs opened: %q", d)
	}
}

// checkFeed reads the Atom feed of the admin's inbox with a read token of
// hers: well-formed XML whose elements are the feed's own, none made by a
// hostile string.
func checkFeed(t *testing.T, env []string, base, email string) (token string) {
	t.Helper()
	r := run(t, env, "tokens", "create", "--user", email, "--scope", "read", "--name", "feed")
	tok := regexp.MustCompile(`ospo_[A-Za-z0-9_-]+`).FindString(r.stdout)
	if r.code != 0 || tok == "" {
		t.Fatalf("tokens create: exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	resp, err := http.Get(base + "/feeds/inbox.atom?token=" + tok)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); resp.StatusCode != http.StatusOK || mt != "application/atom+xml" {
		t.Fatalf("inbox feed: %s, Content-Type %q: %s", resp.Status, mt, short(string(body)))
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	entries := 0
	for {
		tk, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("inbox feed is not well-formed XML: %v\n%s", err, body)
		}
		if se, ok := tk.(xml.StartElement); ok {
			if se.Name.Space != "http://www.w3.org/2005/Atom" || !slices.Contains([]string{"feed", "id", "title", "updated", "link", "author", "name", "entry", "summary", "category"}, se.Name.Local) {
				t.Errorf("inbox feed has an element %s:%s", se.Name.Space, se.Name.Local)
			}
			if se.Name.Local == "entry" {
				entries++
			}
		}
	}
	t.Logf("inbox feed: %d entries, hostile text %v", entries, bytes.Contains(body, []byte("&lt;ospo-pwn&gt;")))
	return tok
}

// TestHostileCrawlPostgres crawls, without a browser, a hub over the
// hostile estate scanned into PostgreSQL (the server of scripts/test): no
// answer to the crawl or to the API's real and hostile parameters is a 5xx
// (PostgreSQL refuses what SQLite stores, a NUL in a text above all), and
// the API's answers are JSON in the documented shapes.
func TestHostileCrawlPostgres(t *testing.T) {
	dsn := freshPostgres(t, postgresServer(t, "crawls a hub"))
	root, resources := buildHostileEstate(t)
	env := []string{"OSPO_DB=" + dsn}
	if r := run(t, env, "scan", "--workers", "2", root); r.code != 0 {
		t.Fatalf("scan exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	base := startServe(t, env, "--resources", resources)
	waitReady(t, base)
	c := newCrawler(t, nil, nil, base, &http.Client{})
	c.run()
	c.api()
	t.Logf("%d answers (%d API); statuses %v; %.1fs", c.pages, c.apiN, c.status, time.Since(c.start).Seconds())
}

// bearer is a transport that sends an API token.
type bearer string

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+string(b))
	return http.DefaultTransport.RoundTrip(r)
}

// waitReady polls /readyz until the hub has warmed its snapshot.
func waitReady(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s/readyz not ready within 2 minutes (last: %v)", base, err)
		}
		time.Sleep(50 * time.Millisecond) // a poll of a condition, not a wait for one
	}
}

// sessionClient is an HTTP client carrying the browser's cookies for base.
func sessionClient(t *testing.T, ctx context.Context, base string) *http.Client {
	t.Helper()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{base + "/"}})
	if err != nil {
		t.Fatalf("browser cookies: %v", err)
	}
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(base)
	var cs []*http.Cookie
	for _, c := range res.Cookies {
		cs = append(cs, &http.Cookie{Name: c.Name, Value: c.Value, Path: c.Path})
	}
	if len(cs) == 0 {
		t.Fatal("the browser holds no cookie after signing in")
	}
	jar.SetCookies(u, cs)
	return &http.Client{Jar: jar}
}

// pwnBrowser watches a tab for what an injection would do: dialogs, and
// calls of pwnFunc (defined in every document before its own content runs).
type pwnBrowser struct {
	mu  sync.Mutex
	msg []string
}

func (b *pwnBrowser) dialogs() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.msg...)
}

func hostileBrowser(t *testing.T, ctx context.Context) *pwnBrowser {
	t.Helper()
	b := &pwnBrowser{}
	dialogs := make(chan struct{}, 64)
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			b.mu.Lock()
			b.msg = append(b.msg, e.Type.String()+": "+e.Message+" on "+e.URL)
			b.mu.Unlock()
			select {
			case dialogs <- struct{}{}:
			default:
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	// A dialog blocks the page until answered: dismiss each one.
	go func() {
		for {
			select {
			case <-dialogs:
				chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
			case <-ctx.Done():
				return
			}
		}
	}()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.` + pwnFunc + ` = function() { window.__ospoPwnCalls = (window.__ospoPwnCalls || 0) + 1 };`}); err != nil {
		t.Fatal(err)
	}
	return b
}

// pageCheck is what the browser finds in one page.
type pageCheck struct {
	Bad   []string `json:"bad"`   // traces of an injection
	Links []string `json:"links"` // absolute URLs of links, images, style sheets, GET forms
	Text  bool     `json:"text"`  // the page shows a hostile string as text
}

// pageCheckJS inspects the DOM of the current page.
const pageCheckJS = `(() => {
	const bad = [], links = [];
	if (window.__ospoPwnCalls) bad.push("` + pwnFunc + ` called " + window.__ospoPwnCalls + " times");
	const urlAttrs = ["href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset", "ping"];
	for (const el of document.querySelectorAll("*")) {
		const tag = el.localName;
		if (tag === "` + pwnTag + `" || tag === "script" || tag === "iframe" || tag === "object" || tag === "embed" || tag === "base" || tag === "frame")
			bad.push("<" + tag + "> element: " + el.outerHTML.slice(0, 200));
		if (tag === "meta" && (el.getAttribute("http-equiv") || "").toLowerCase() === "refresh")
			bad.push("meta refresh: " + el.outerHTML.slice(0, 200));
		for (const a of el.attributes) {
			if (a.name.startsWith("on")) bad.push("<" + tag + " " + a.name + "=" + JSON.stringify(a.value.slice(0, 200)) + ">");
			if (urlAttrs.includes(a.name) && /^\s*(javascript|vbscript|data):/i.test(a.value))
				bad.push("<" + tag + " " + a.name + "=" + JSON.stringify(a.value.slice(0, 200)) + ">");
			if (a.name === "id" && a.value.startsWith("p9")) bad.push("an id from the estate: <" + tag + " id=" + a.value + ">");
		}
	}
	// A bidirectional control from the estate reorders the text after it
	// (a file "\u202Egnp.exe" reads "exe.png").
	const bidi = /[\u202A-\u202E\u2066-\u2069]/, tw = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
	for (let n; (n = tw.nextNode()); ) if (bidi.test(n.data)) bad.push("a bidirectional control in the text " + JSON.stringify(n.data.slice(0, 120)));
	for (const a of document.querySelectorAll("a[href]")) if (!a.textContent.trim() && !a.querySelector("img[alt], svg")) bad.push("a link with no text: " + a.outerHTML.slice(0, 200));
	for (const a of document.querySelectorAll("a[href], area[href]")) links.push(a.href);
	for (const i of document.querySelectorAll("img[src], link[href]")) links.push(i.src || i.href);
	for (const f of document.querySelectorAll("form")) {
		if ((f.getAttribute("method") || "get").toLowerCase() !== "get") continue;
		const u = new URL(f.action, location.href), q = new URLSearchParams();
		for (const el of f.elements) if (el.name) q.set(el.name, "` + "\\\"><" + pwnTag + ">" + reflected + `");
		u.search = q.toString();
		links.push(u.href);
	}
	const text = (document.body || document.documentElement).textContent || "";
	return {bad: bad, links: links, text: text.includes("<` + pwnTag + `>")};
})()`

// crawler walks one hub breadth-first.
type crawler struct {
	t       *testing.T
	ctx     context.Context
	b       *pwnBrowser
	base    string
	client  *http.Client
	seen    map[string]bool
	perPath map[string]int
	queue   []string
	pages   int // fetched
	browsed int // opened in the browser
	shown   int // pages showing a hostile string as text
	ids     map[string][]string
	status  map[int]int
	apiN    int
	start   time.Time
	// zgotmplz are the pages with a link html/template neutralised: an
	// unsafe URL from the estate reached an href (escaped, but a dead link).
	zgotmplz map[string]bool
	// htmlPaths are the paths of the pages found, without their query.
	htmlPaths map[string]bool
}

func newCrawler(t *testing.T, ctx context.Context, b *pwnBrowser, base string, client *http.Client) *crawler {
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	client.Timeout = time.Minute
	return &crawler{t: t, ctx: ctx, b: b, base: base, client: client, seen: map[string]bool{}, perPath: map[string]int{},
		ids: map[string][]string{}, status: map[int]int{}, start: time.Now(), zgotmplz: map[string]bool{}, htmlPaths: map[string]bool{}}
}

// enqueue adds a same-origin URL to the queue, unless seen, over its
// path's bound, or one that signs out.
func (c *crawler) enqueue(raw string) {
	u, err := url.Parse(raw)
	if err != nil || !strings.HasPrefix(raw, c.base+"/") {
		return
	}
	u.Fragment = ""
	p := u.EscapedPath()
	if strings.HasPrefix(p, "/signout") || strings.HasPrefix(p, "/auth/oidc/") {
		return
	}
	s := u.String()
	if c.seen[s] || c.perPath[p] >= crawlMaxPerPath {
		return
	}
	c.seen[s] = true
	c.perPath[p]++
	c.queue = append(c.queue, s)
}

// fetch gets a URL with the crawler's client and checks what every answer
// must be: no 5xx, a declared content type, no redirect off the hub.
func (c *crawler) fetch(u string) (*http.Response, []byte, bool) {
	c.t.Helper()
	resp, err := c.client.Get(u)
	if err != nil {
		c.t.Errorf("GET %s: %v", short(u), err)
		return nil, nil, false
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Errorf("GET %s: reading the body: %v", short(u), err)
		return nil, nil, false
	}
	c.pages++
	c.status[resp.StatusCode]++
	if f := os.Getenv("OSPO_CRAWL_DUMP"); f != "" {
		if df, err := os.OpenFile(f, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			fmt.Fprintf(df, "%d\t%s\t%s\t%s\n", resp.StatusCode, resp.Header.Get("Content-Type"), strings.TrimPrefix(u, c.base), short(strings.ReplaceAll(string(body), "\n", " ")))
			df.Close()
		}
	}
	if resp.StatusCode >= 500 {
		c.t.Errorf("GET %s: %s: %s", short(u), resp.Status, short(string(body)))
	}
	if resp.Header.Get("Content-Type") == "" && len(body) > 0 {
		c.t.Errorf("GET %s: no Content-Type", short(u))
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		c.t.Errorf("GET %s: no nosniff or no Content-Security-Policy (%q)", short(u), resp.Header)
	}
	if loc := resp.Header.Get("Location"); loc != "" {
		lu, err := resp.Request.URL.Parse(loc)
		if err != nil || lu.Scheme+"://"+lu.Host != c.base {
			c.t.Errorf("GET %s: redirected off the hub to %q", short(u), loc)
		}
	}
	return resp, body, true
}

// run crawls every page reachable from / breadth-first (and the pages
// that a GET form or a search with a hostile query gives), then every web
// route with path parameters, and opens each HTML or SVG answer in the
// browser.
func (c *crawler) run() {
	c.t.Helper()
	c.collectIDs()
	c.enqueue(c.base + "/")
	for _, q := range []string{"/search?q=", "/projects?q=", "/innersource?q=", "/technologies?q=", "/people?q=", "/resources?q=", "/projects?language="} {
		c.enqueue(c.base + q + url.QueryEscape(reflected+hostileText))
	}
	c.drain(crawlMaxPages)
	if len(c.queue) > 0 {
		c.t.Logf("%s: crawl bound reached, %d URLs left unvisited", c.base, len(c.queue))
		c.queue = nil
	}
	for _, route := range webParamRoutes {
		for _, u := range c.fill(route) {
			c.enqueue(c.base + u)
		}
	}
	for _, u := range []string{"/metrics", "/healthz", "/readyz", "/no-such-page", "/static/..%2f..%2fgo.mod", "/static/%2e%2e/%2e%2e/etc/passwd",
		"/static/" + strings.Repeat("x", 4000), "/feeds/inbox.atom", "/feeds/inbox.atom?token=ospo_" + strings.Repeat("A", 40), "/feeds/inbox.atom?token=%00%ff",
		"/signin?next=" + url.QueryEscape(jsURL), "/signin?next=%2F%2Fevil.example.com", "/signin?next=" + url.QueryEscape(hostileText+reflected)} {
		c.enqueue(c.base + u)
	}
	// Odd values in the query of one page of each kind the crawl found.
	shapes := map[string]bool{}
	for _, p := range slices.Sorted(maps.Keys(c.htmlPaths)) {
		if shape := pathShape(p); !shapes[shape] {
			shapes[shape] = true
			for _, q := range hostileQueries {
				if u := c.base + p + "?" + q; !c.seen[u] {
					c.seen[u] = true
					c.queue = append(c.queue, u)
				}
			}
		}
	}
	// These pages' links were crawled above: only those that show what
	// the request sent are opened.
	q := c.queue
	c.queue = nil
	for _, u := range q {
		c.visit(u, false)
	}
	c.queue = nil
}

// pathShape is the kind of page at path p: its first segment, its number
// of segments and its last one when that is a word of the hub's routes
// (/teams/x/health and /teams/y/health are one kind, /teams/x another).
func pathShape(p string) string {
	segs := strings.Split(strings.Trim(p, "/"), "/")
	last := segs[len(segs)-1]
	if len(segs) > 1 && !slices.Contains([]string{"health", "docs", "inbox", "tokens", "users", "audit", "jobs", "new", "evidence.html"}, last) {
		last = "*"
	}
	return fmt.Sprintf("%s/%d/%s", segs[0], len(segs), last)
}

// hostileQueries are odd values for the query parameters the pages read.
var hostileQueries = func() []string {
	var qs []string
	for _, name := range []string{"limit", "offset", "sort", "weeks", "q", "band", "kind", "deps", "view", "language", "state"} {
		for _, v := range []string{"-1", "99999999999999999999", "NaN", "%00", "%ff", url.QueryEscape(reflected + hostileText)} {
			qs = append(qs, name+"="+v)
		}
	}
	return qs
}()

// drain visits queued URLs until the queue is empty or max are fetched.
func (c *crawler) drain(max int) {
	c.t.Helper()
	for n := 0; len(c.queue) > 0 && n < max; n++ {
		u := c.queue[0]
		c.queue = c.queue[1:]
		c.visit(u, true)
	}
}

// visit fetches u, follows a redirect on the hub, and opens an HTML or SVG
// answer in the browser: every one when all is set, else those that show
// a value the request sent.
func (c *crawler) visit(u string, all bool) {
	c.t.Helper()
	resp, body, ok := c.fetch(u)
	if !ok {
		return
	}
	if loc := resp.Header.Get("Location"); loc != "" {
		if lu, err := resp.Request.URL.Parse(loc); err == nil {
			c.enqueue(lu.String())
		}
		return
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mt != "text/html" && mt != "image/svg+xml" {
		return
	}
	if resp.StatusCode == http.StatusOK && mt == "text/html" {
		c.htmlPaths[resp.Request.URL.EscapedPath()] = true
	}
	if c.ctx == nil { // no browser: the links are read from the markup
		if mt == "text/html" && all {
			for _, m := range hrefRE.FindAllStringSubmatch(string(body), -1) {
				if lu, err := resp.Request.URL.Parse(html.UnescapeString(m[1])); err == nil {
					c.enqueue(lu.String())
				}
			}
		}
		return
	}
	if all || strings.Contains(string(body), reflected) {
		c.browse(u)
	}
}

// hrefRE finds the links of a page html/template wrote (attributes quoted).
var hrefRE = regexp.MustCompile(`\s(?:href|src|action)="([^"]*)"`)

// browse opens u in the browser and checks its DOM.
func (c *crawler) browse(u string) {
	c.t.Helper()
	if err := chromedp.Do(c.ctx, chromedp.Navigate(u)); err != nil {
		c.t.Errorf("browse %s: %v", short(u), err)
		return
	}
	c.browsed++
	if os.Getenv("OSPO_CRAWL_DEBUG") != "" {
		c.t.Logf("browse %s", short(u))
	}
	pc, err := chromedp.Run(c.ctx, chromedp.Evaluate[pageCheck](pageCheckJS))
	if err != nil {
		c.t.Errorf("inspect %s: %v", short(u), err)
		return
	}
	for _, b := range pc.Bad {
		c.t.Errorf("%s: %s", short(u), b)
	}
	if pc.Text {
		c.shown++
	}
	for _, l := range pc.Links {
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(l)), "javascript:") {
			c.t.Errorf("%s: a javascript: link %q", short(u), short(l))
		}
		if strings.Contains(l, "ZgotmplZ") {
			c.zgotmplz[short(u)] = true
		}
		c.enqueue(l)
	}
}

// collectIDs reads real keys of the estate from the API's lists.
func (c *crawler) collectIDs() {
	c.t.Helper()
	for kind, list := range map[string]struct{ path, field string }{
		"id": {"/api/v1/projects", "id"}, "tech": {"/api/v1/technologies?limit=500", "id"}, "person": {"/api/v1/people?limit=500", "id"},
		"team": {"/api/v1/teams?limit=500", "owner"}, "badge": {"/api/v1/badges", "id"}, "name": {"/api/v1/external", "name"},
	} {
		_, body, ok := c.fetch(c.base + list.path)
		if !ok {
			continue
		}
		var v any
		if json.Unmarshal(body, &v) != nil {
			continue
		}
		seen := map[string]bool{}
		collect(v, list.field, func(s string) {
			if !seen[s] && len(seen) < 40 {
				seen[s] = true
				c.ids[kind] = append(c.ids[kind], s)
			}
		})
	}
	// Documentation and resource pages by name.
	c.ids["name"] = append(c.ids["name"], "index", "guide", "faq", `"><ospo-pwn>`, "tab\tname", "new\nline", "ünï \u202ecode")
	if len(c.ids["id"]) == 0 || len(c.ids["person"]) == 0 {
		c.t.Fatalf("%s: the API lists no project or no person: %v", c.base, c.ids)
	}
}

// collect calls f with the value of every field named name in v, at any depth.
func collect(v any, name string, f func(string)) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			switch x := x.(type) {
			case string:
				if k == name {
					f(x)
				}
			case float64:
				if k == name {
					f(fmt.Sprint(int64(x)))
				}
			default:
				collect(x, name, f)
			}
		}
	case []any:
		for _, x := range v {
			collect(x, name, f)
		}
	}
}

var paramRE = regexp.MustCompile(`\{[a-z]+\}`)

// fill returns route with its parameters replaced by real keys (escaped as
// one path segment) and by each hostile value.
func (c *crawler) fill(route string) []string {
	params := paramRE.FindAllString(route, -1)
	if len(params) == 0 {
		return []string{route}
	}
	real := func(p string) []string {
		kind := strings.Trim(p, "{}")
		switch kind {
		case "owner":
			kind = "team"
		case "format":
			return []string{"cyclonedx", "spdx"}
		}
		if strings.HasPrefix(route, "/api/v1/people/") && kind == "id" {
			kind = "person"
		}
		if strings.HasPrefix(route, "/api/v1/technologies/") && kind == "id" {
			kind = "tech"
		}
		var out []string
		for _, v := range c.ids[kind] {
			out = append(out, url.PathEscape(v))
		}
		if len(out) == 0 {
			out = []string{"1"}
		}
		return out
	}
	// with returns route with value v in parameter i, the others at their
	// first real key.
	with := func(i int, v string) string {
		u := route
		for j, q := range params {
			if j == i {
				u = strings.Replace(u, q, v, 1)
			} else {
				u = strings.Replace(u, q, real(q)[0], 1)
			}
		}
		return u
	}
	var urls []string
	// Every real key in each parameter, then each hostile value.
	for i, p := range params {
		for _, v := range real(p) {
			urls = append(urls, with(i, v))
		}
	}
	for i := range params {
		for _, h := range hostileParams {
			urls = append(urls, with(i, h))
		}
	}
	return urls
}

// openAPI is the part of the OpenAPI description the crawl reads.
type openAPI struct {
	Paths map[string]map[string]struct {
		Responses map[string]struct {
			Content map[string]any `json:"content"`
		} `json:"responses"`
	} `json:"paths"`
}

// api requests every GET path of the OpenAPI description with real and
// hostile parameters and checks each answer against it.
func (c *crawler) api() {
	c.t.Helper()
	_, body, ok := c.fetch(c.base + "/api/v1/openapi.json")
	if !ok {
		return
	}
	var doc openAPI
	if err := json.Unmarshal(body, &doc); err != nil {
		c.t.Fatalf("openapi.json: %v", err)
	}
	paths := make([]string, 0, len(doc.Paths))
	for p := range doc.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		get, ok := doc.Paths[p]["get"]
		if !ok {
			continue
		}
		var types []string
		for code, r := range get.Responses {
			if strings.HasPrefix(code, "2") {
				for ct := range r.Content {
					types = append(types, ct)
				}
			}
		}
		urls := c.fill(p)
		if !strings.Contains(p, "{") {
			for _, q := range []string{"q", "limit", "offset", "sort", "weeks", "since", "language", "kind", "band", "severity", "person", "project"} {
				for _, h := range []string{url.QueryEscape(hostileText), "-1", "99999999999999999999", "%00", "NaN"} {
					urls = append(urls, p+"?"+q+"="+h)
				}
			}
		}
		for _, u := range urls {
			c.checkAPI(u, types)
		}
	}
}

// checkAPI checks one API answer: JSON of a documented type when it
// succeeds, the documented error shape when it does not.
func (c *crawler) checkAPI(path string, types []string) {
	c.t.Helper()
	resp, body, ok := c.fetch(c.base + path)
	if !ok {
		return
	}
	c.apiN++
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	switch code := resp.StatusCode; {
	case code >= 300 && code < 400:
		// The mux cleans paths with dot segments: a redirect on the hub.
	case code < 300:
		if !slices.Contains(types, mt) {
			c.t.Errorf("GET %s: %d with Content-Type %q, documented %q", short(path), code, mt, types)
		}
		if strings.HasSuffix(mt, "json") && !json.Valid(body) {
			c.t.Errorf("GET %s: %d with invalid JSON: %s", short(path), code, short(string(body)))
		}
	case code < 500:
		var e map[string]any
		err := json.Unmarshal(body, &e)
		msg, isString := e["error"].(string)
		if mt != "application/json" || err != nil || !isString || msg == "" || len(e) != 1 {
			c.t.Errorf("GET %s: %d is not the documented error shape {\"error\": \"…\"} (Content-Type %q): %s", short(path), code, mt, short(string(body)))
		}
	}
}

func (c *crawler) report(who string) {
	c.t.Logf("%s: %d answers (%d API), %d pages opened in the browser, %d showing hostile text; statuses %v; %.1fs",
		who, c.pages, c.apiN, c.browsed, c.shown, c.status, time.Since(c.start).Seconds())
	if len(c.zgotmplz) > 0 {
		c.t.Logf("%s: pages with a neutralised unsafe link (#ZgotmplZ): %v", who, slices.Sorted(maps.Keys(c.zgotmplz)))
	}
	if c.shown == 0 {
		c.t.Errorf("%s: no page showed a hostile string as text: the estate's strings did not reach the pages, so the crawl proved nothing", who)
	}
}

// short cuts a URL or body for a message.
func short(s string) string {
	if len(s) > 160 {
		return s[:160] + "…"
	}
	return s
}
