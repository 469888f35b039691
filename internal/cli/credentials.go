package cli

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/events"
	"github.com/ospo-project/ospo/internal/openbadge"
	"github.com/ospo-project/ospo/internal/report"
)

// issuer loads the Open Badges issuer: the key from keyFile, else from
// badges.issuer_key_file of ospo.yaml.
func (a *app) issuer(keyFile string) (openbadge.Issuer, error) {
	cfg, err := a.config()
	if err != nil {
		return openbadge.Issuer{}, err
	}
	if keyFile == "" {
		keyFile = cfg.Badges.IssuerKeyFile
	}
	if keyFile == "" {
		return openbadge.Issuer{}, usageErr("no issuer key: pass --key FILE or set badges.issuer_key_file in ospo.yaml (ospo badges keygen FILE makes one)")
	}
	k, err := openbadge.LoadKey(keyFile)
	if err != nil {
		return openbadge.Issuer{}, usageErr("%v", err)
	}
	return openbadge.Issuer{Key: k, Name: cfg.Badges.IssuerName, URL: cfg.Badges.IssuerURL}, nil
}

func (a *app) badgesCredentialCmd() *cobra.Command {
	var keyFile, out string
	cmd := &cobra.Command{
		Use:   "credential PERSON BADGE",
		Short: "Write the Open Badges 3.0 credential of a badge a person earned, signed (eddsa-jcs-2022)",
		Long: `Write an OpenBadgeCredential (a W3C Verifiable Credential with the achievement,
its criteria and the events that earned it as evidence) for a badge PERSON
holds, secured by a Data Integrity proof of the eddsa-jcs-2022 cryptosuite
with the issuer key (--key, else badges.issuer_key_file of ospo.yaml). The
earner is identified by a salted hash of their e-mail. Anyone can check it
with ospo badges verify FILE.`,
		Example: "  ospo badges credential ann@example.com first-steps --key ospo-issuer.pem -o first-steps.json",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			iss, err := a.issuer(keyFile)
			if err != nil {
				return err
			}
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			f, name, err := personRef(ctx, st, args[0])
			if err != nil {
				return err
			}
			evs, err := st.Events(ctx, f)
			if err != nil {
				return internalErr(err)
			}
			person := args[0]
			if f.PersonID != "" {
				person = f.PersonID
			}
			b, err := earnedBadge(events.PersonStanding(person, evs, events.DefaultCaps), args[1])
			if err != nil {
				return classify(err)
			}
			email := f.Email
			if email == "" {
				email = args[0]
			}
			cred, err := openbadge.Credential(iss, openbadge.ForBadge(b, email, name, iss.URL), time.Now().UTC())
			if err != nil {
				return internalErr(err)
			}
			if out == "" || out == "-" {
				_, err = a.stdout.Write(append(cred, '\n'))
				return err
			}
			if err := os.WriteFile(out, append(cred, '\n'), 0o644); err != nil {
				return usageErr("%v", err)
			}
			fmt.Fprint(a.stderr, report.Cleanf("wrote %s\n", out))
			return nil
		},
	}
	cmd.Flags().StringVar(&keyFile, "key", "", "the issuer's Ed25519 private key file (default: badges.issuer_key_file)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to this file (default: standard output)")
	return cmd
}

// earnedBadge returns the badge id of s, or a NotFound error saying the
// person has not earned it (Invalid for a badge that does not exist).
func earnedBadge(s events.Standing, id string) (events.Earned, error) {
	if _, ok := events.BadgeByID(id); !ok {
		return events.Earned{}, catalog.Mark(fmt.Errorf("no badge %q (ospo badges lists them)", id), catalog.ErrInvalid)
	}
	for _, b := range s.Badges {
		if b.ID == id {
			return b, nil
		}
	}
	return events.Earned{}, catalog.Mark(fmt.Errorf("%s has not earned %s", s.Person, id), catalog.ErrNotFound)
}

func (a *app) badgesVerifyCmd() *cobra.Command {
	var format, issuer string
	cmd := &cobra.Command{
		Use:   "verify FILE",
		Short: "Verify an Open Badges 3.0 credential: structure, eddsa-jcs-2022 signature, issuer",
		Long: `Verify checks that FILE is an OpenBadgeCredential (contexts, types, issuer,
achievement with criteria, dates), that its eddsa-jcs-2022 proof verifies
and that the issuer's key signed it. With --issuer DID it also requires
that issuer. Exit code 0: valid; 1: not valid (tampered, wrong issuer,
expired); 2: the file cannot be read.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := report.CheckFormat(format, report.FormatTable, report.FormatJSON); err != nil {
				return usageErr("%v", err)
			}
			data, err := readLimited(args[0], 1<<20)
			if err != nil {
				return usageErr("%v", err)
			}
			v, err := openbadge.Verify(data, time.Now().UTC())
			if err == nil && issuer != "" && v.Issuer != issuer {
				err = fmt.Errorf("%w: issued by %s, not by %s", openbadge.ErrInvalidProof, v.Issuer, issuer)
			}
			if err != nil {
				return &exitError{code: ExitViolation, err: fmt.Errorf("%s: not valid: %v", args[0], err)}
			}
			if format == report.FormatJSON {
				return report.JSON(a.stdout, v)
			}
			fmt.Fprint(a.stdout, report.Cleanf("valid: %q issued by %s%s on %s, %d evidence\n", v.Achievement, v.Issuer,
				nameSuffix(v.IssuerName), v.ValidFrom.Format("2006-01-02"), v.Evidence))
			return nil
		},
	}
	cmd.Flags().StringVar(&issuer, "issuer", "", "require this issuer (its did:key)")
	addFormat(cmd, &format, report.FormatTable, report.FormatJSON)
	return cmd
}

func nameSuffix(n string) string {
	if n == "" {
		return ""
	}
	return " (" + report.Clean(n) + ")"
}

// readLimited reads a regular file of at most max bytes.
func readLimited(path string, max int64) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	if fi.Size() > max {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, max)
	}
	return os.ReadFile(path)
}

func (a *app) badgesKeygenCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "keygen FILE",
		Short: "Make a new Ed25519 issuer key for Open Badges credentials (PKCS #8 PEM, mode 0600)",
		Long: `Keygen writes a new Ed25519 private key to FILE (which must not exist), readable
by its owner only, and prints the issuer's did:key. Point badges.issuer_key_file
of ospo.yaml at it; keep it out of version control and backups you do not trust.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pemKey, err := openbadge.GenerateKey()
			if err != nil {
				return internalErr(err)
			}
			f, err := os.OpenFile(args[0], os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if errors.Is(err, fs.ErrExist) {
				return usageErr("%s exists: keygen never overwrites a key", args[0])
			}
			if err != nil {
				return usageErr("%v", err)
			}
			if _, err := f.Write(pemKey); err != nil {
				f.Close()
				return internalErr(err)
			}
			if err := f.Close(); err != nil {
				return internalErr(err)
			}
			k, err := openbadge.LoadKey(args[0])
			if err != nil {
				return internalErr(err)
			}
			fmt.Fprintf(a.stdout, "issuer %s\n", openbadge.DIDKey(k.Public().(ed25519.PublicKey)))
			return nil
		},
	}
}
