package hub

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// latencyBuckets are the upper bounds, in seconds, of the request duration
// histogram.
var latencyBuckets = []float64{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// metrics counts requests and their durations by route, written in the
// Prometheus text exposition format (version 0.0.4) by hand: two metric
// families do not need a client library.
type metrics struct {
	mu       sync.Mutex
	requests map[reqKey]uint64
	latency  map[string]*histogram
}

type reqKey struct {
	route string
	code  int
}

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	count  uint64
}

func newMetrics() *metrics {
	return &metrics{requests: map[reqKey]uint64{}, latency: map[string]*histogram{}}
}

func (m *metrics) observe(route string, code int, d time.Duration) {
	sec := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[reqKey{route, code}]++
	h := m.latency[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets))}
		m.latency[route] = h
	}
	if i, _ := slices.BinarySearch(latencyBuckets, sec); i < len(latencyBuckets) {
		h.counts[i]++
	}
	h.sum += sec
	h.count++
}

// labelValue escapes a label value as the exposition format requires.
var labelValue = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

func (m *metrics) serve(w http.ResponseWriter, _ *http.Request) {
	var b strings.Builder
	m.mu.Lock()
	keys := make([]reqKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b reqKey) int {
		if c := strings.Compare(a.route, b.route); c != 0 {
			return c
		}
		return a.code - b.code
	})
	b.WriteString("# HELP ospo_http_requests_total HTTP requests by route and status code.\n# TYPE ospo_http_requests_total counter\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "ospo_http_requests_total{route=\"%s\",code=\"%d\"} %d\n", labelValue.Replace(k.route), k.code, m.requests[k])
	}
	routes := make([]string, 0, len(m.latency))
	for r := range m.latency {
		routes = append(routes, r)
	}
	slices.Sort(routes)
	b.WriteString("# HELP ospo_http_request_duration_seconds HTTP request latency by route.\n# TYPE ospo_http_request_duration_seconds histogram\n")
	for _, r := range routes {
		h, lv := m.latency[r], labelValue.Replace(r)
		var cum uint64
		for i, le := range latencyBuckets {
			cum += h.counts[i]
			fmt.Fprintf(&b, "ospo_http_request_duration_seconds_bucket{route=\"%s\",le=\"%s\"} %d\n", lv, strconv.FormatFloat(le, 'g', -1, 64), cum)
		}
		fmt.Fprintf(&b, "ospo_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %d\n", lv, h.count)
		fmt.Fprintf(&b, "ospo_http_request_duration_seconds_sum{route=\"%s\"} %s\n", lv, strconv.FormatFloat(h.sum, 'g', -1, 64))
		fmt.Fprintf(&b, "ospo_http_request_duration_seconds_count{route=\"%s\"} %d\n", lv, h.count)
	}
	m.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Write([]byte(b.String()))
}
