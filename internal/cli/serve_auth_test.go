package cli

import "testing"

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:7474": true, "127.1.2.3:80": true, "[::1]:7474": true, "localhost:7474": true,
		"0.0.0.0:7474": false, ":7474": false, "[::]:7474": false, "192.0.2.1:80": false, "hub.example.com:80": false, "garbage": false,
	} {
		if got := isLoopback(addr); got != want {
			t.Errorf("isLoopback(%q) = %v, want %v", addr, got, want)
		}
	}
}
