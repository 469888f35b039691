package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"
)

// SMTP sends e-mail through a submission server. STARTTLS is required
// unless Insecure is set (a relay on the same machine); credentials are
// only ever sent over TLS.
type SMTP struct {
	// Addr is the server's host:port (587 for submission).
	Addr string
	// From is the sender address ("OSPO <ospo@example.com>").
	From string
	// Username and Password, when Username is set, authenticate with PLAIN.
	Username, Password string
	// TLS configures STARTTLS; nil verifies the server's certificate
	// against the system roots for the host of Addr.
	TLS *tls.Config
	// Insecure allows a server that offers no STARTTLS (never with a
	// password).
	Insecure bool
	// Timeout bounds one delivery; 0 means 30 s.
	Timeout time.Duration
}

// Send delivers m to m.To. It returns an error saying which step failed
// (connect, STARTTLS, authenticate, the recipient…), never the password.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return fmt.Errorf("e-mail %q: not an address: %w", m.To, err)
	}
	from, err := mail.ParseAddress(s.From)
	if err != nil {
		return fmt.Errorf("e-mail sender %q: not an address: %w", s.From, err)
	}
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return fmt.Errorf("smtp server %q: %w", s.Addr, err)
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("smtp connect %s: %w", s.Addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp greeting from %s: %w", s.Addr, err)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("smtp EHLO: %w", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := s.TLS
		if cfg == nil {
			cfg = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
		}
		if err := c.StartTLS(cfg); err != nil {
			return fmt.Errorf("smtp STARTTLS with %s: %w", s.Addr, err)
		}
	} else if !s.Insecure || s.Username != "" {
		return fmt.Errorf("smtp server %s offers no STARTTLS: refusing to send in clear", s.Addr)
	}
	if s.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, host)); err != nil {
			return fmt.Errorf("smtp authenticate as %s: %w", s.Username, err)
		}
	}
	if err := c.Mail(from.Address); err != nil {
		return fmt.Errorf("smtp MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to.Address); err != nil {
		return fmt.Errorf("smtp RCPT TO %s: %w", to.Address, err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if _, err := w.Write(compose(from, to, m)); err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if err := c.Quit(); err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("smtp QUIT: %w", err)
	}
	return nil
}

// oneLine removes what could start a new header line.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' }), " ")
}

// compose returns the message as RFC 5322 text: UTF-8, quoted-printable,
// the subject encoded as a MIME word, no header a caller can inject.
func compose(from, to *mail.Address, m Message) []byte {
	var id [12]byte
	rand.Read(id[:])
	at := m.At
	if at.IsZero() {
		at = time.Now()
	}
	var b bytes.Buffer
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	fmt.Fprintf(&b, "From: %s\r\n", from.String())
	fmt.Fprintf(&b, "To: %s\r\n", to.String())
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", oneLine(m.Subject)))
	fmt.Fprintf(&b, "Date: %s\r\n", at.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%s@%s>\r\n", hex.EncodeToString(id[:]), domain)
	if m.Topic != "" {
		fmt.Fprintf(&b, "X-Ospo-Topic: %s\r\n", oneLine(m.Topic))
	}
	b.WriteString("Auto-Submitted: auto-generated\r\n")
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&b)
	body := m.Text
	if m.Link != "" {
		body += "\n\n" + m.Link
	}
	qp.Write([]byte(strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n", "\r\n") + "\r\n"))
	qp.Close()
	return b.Bytes()
}
