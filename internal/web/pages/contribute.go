package pages

import (
	"bufio"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/sync/semaphore"
	"golang.org/x/time/rate"

	"github.com/hitwage/hitwage/internal/histories"
	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/market"
	"github.com/hitwage/hitwage/internal/web/site"
)

// The /contribute pages let a worker add the history they saved without the command line: get a
// reporting token (self-service, a few per client address), upload a file, see what it holds and
// what will be published, confirm; and later list and delete everything the token contributed.
// Plain forms posted to the site, answered private and never cached; no cookie is set.

// Bounds of self-service contribution.
const (
	// maxUploadDecoded is the most a gzip-compressed upload may hold once decompressed: the
	// request itself is bounded by the server's BodyLimit, which a compressed history fits ten
	// times over.
	maxUploadDecoded  = 128 << 20
	maxPendingUploads = 16               // previews waiting for a confirmation, across all clients
	maxPendingByToken = 2                // of them, one token's
	maxReading        = 2                // uploads spooled and read through at once
	maxPreviewTime    = 5 * time.Minute  // one preview's reading, at most
	pendingUploadTTL  = time.Hour        // how long a preview waits
	tokenEvery        = 20 * time.Minute // one self-service token per client address this often...
	tokenBurst        = 3                // ...after a first few at once
)

// contributeForm is the /contribute page's state.
type contributeForm struct {
	Error, ErrorField string
	NewToken          string // a self-service token just created: shown this once
	MaxUpload         int    // bytes
	MaxUploadMiB      int
	Formats           []histories.Format
	Preview           *uploadPreview
	Done              *ingest.FileReport
	Contributions     []ingest.Contribution
	Listed            bool // Contributions were asked for (an empty list says "nothing yet")
	Deleted           int  // records deleted
	DeletedAsked      bool
}

// uploadPreview is what the page shows of an uploaded file before it is stored.
type uploadPreview struct {
	ID      string
	Name    string
	Skipped []string
	Days    int
	Studies int
	ingest.Preview
}

// pendingUpload is an uploaded file kept on disk until its uploader confirms or it expires.
type pendingUpload struct {
	path    string
	name    string
	tokenID string
	format  histories.Format
	opts    histories.Options
	created time.Time
}

// uploads holds the files waiting for confirmation.
type uploads struct {
	mu      sync.Mutex
	dir     string
	pending map[string]*pendingUpload
}

// contributeState is the App's state for /contribute, made on first use.
type contributeState struct {
	once    sync.Once
	tokens  *site.ClientBuckets // self-service token issuance per client address
	uploads uploads
	reading *semaphore.Weighted // uploads being spooled and previewed (maxReading)
}

func (h *Handler) contribution() *contributeState {
	h.contrib.once.Do(func() {
		h.contrib.tokens = site.NewClientBuckets(rate.Every(tokenEvery), tokenBurst, h.site.Limits.Config().Clients)
		h.contrib.uploads.pending = map[string]*pendingUpload{}
		h.contrib.reading = semaphore.NewWeighted(maxReading)
	})
	return &h.contrib
}

func (h *Handler) newContributeForm() *contributeForm {
	n := site.BodyLimit
	return &contributeForm{MaxUpload: n, MaxUploadMiB: n >> 20, Formats: histories.Formats()}
}

// Contribute renders the page for contributing a saved history.
func (h *Handler) Contribute(c *fiber.Ctx) error {
	// Uploads nobody confirmed expire here too, not only when the next upload or confirmation
	// comes: a visit to the page is the next use the site sees.
	u := &h.contribution().uploads
	u.mu.Lock()
	u.expire(h.site.Now())
	u.mu.Unlock()
	return h.renderContribute(c, fiber.StatusOK, h.newContributeForm())
}

// renderContribute draws the page, private and never cached: it may show a token or a file's contents.
func (h *Handler) renderContribute(c *fiber.Ctx, status int, f *contributeForm) error {
	c.Status(status)
	if err := h.render(c, "contribute", "Contribute your history", f); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return nil
}

// refuseContribute redraws the page with the error of err (a *site.Error) next to its field.
func (h *Handler) refuseContribute(c *fiber.Ctx, f *contributeForm, err error) error {
	var e *site.Error
	if !errors.As(err, &e) {
		return err
	}
	f.Error, f.ErrorField = e.Message, e.Field
	if e.Field == "Authorization" {
		f.ErrorField, f.Error = "token", "That token is unknown or revoked: paste the whole token."
	}
	return h.renderContribute(c, e.Status, f)
}

// ContributeToken issues a self-service reporting token, a few per client address.
func (h *Handler) ContributeToken(c *fiber.Ctx) error {
	f := h.newContributeForm()
	if h.site.Deps.Ingest == nil {
		return h.refuseContribute(c, f, &site.Error{Status: fiber.StatusServiceUnavailable, Code: "unavailable", Message: "This site does not take reports."})
	}
	st := h.contribution()
	if wait := st.tokens.Take(site.ClientKey(h.site.Limits.ClientAddr(c))); wait > 0 {
		c.Set(fiber.HeaderRetryAfter, site.RetryAfterSeconds(wait))
		return h.refuseContribute(c, f, &site.Error{Status: fiber.StatusTooManyRequests, Code: "rate_limited", Field: "token",
			Message: fmt.Sprintf("Too many tokens asked for from your address: try again in %d minutes, or use the token you have.", int(wait.Minutes())+1)})
	}
	secret, _, err := h.site.Deps.Ingest.Tokens.Create(c.UserContext(), "self-service "+h.site.Now().UTC().Format("2006-01-02"))
	if err != nil {
		return err
	}
	f.NewToken = secret
	return h.renderContribute(c, fiber.StatusOK, f)
}

// formToken authenticates the form's token field before anything heavy is done with the request.
func (h *Handler) formToken(c *fiber.Ctx) (ingest.Token, error) {
	if h.site.Deps.Ingest == nil || h.site.Deps.Hasher == nil {
		return ingest.Token{}, &site.Error{Status: fiber.StatusServiceUnavailable, Code: "unavailable", Message: "This site does not take contributions."}
	}
	secret := strings.TrimSpace(c.FormValue("token"))
	if secret == "" {
		return ingest.Token{}, site.BadRequest("token", "Paste your reporting token.")
	}
	return h.site.CheckToken(c, secret)
}

// ContributeUpload keeps an uploaded file and shows what it holds.
func (h *Handler) ContributeUpload(c *fiber.Ctx) error {
	f := h.newContributeForm()
	tok, err := h.formToken(c)
	if err != nil {
		return h.refuseContribute(c, f, err)
	}
	forced, err := histories.ParseFormat(c.FormValue("format"))
	if err != nil {
		return h.refuseContribute(c, f, site.BadRequest("format", err.Error()))
	}
	hopts := histories.Options{Date: strings.TrimSpace(c.FormValue("date")), Researcher: strings.TrimSpace(c.FormValue("researcher"))}
	if hopts.Date != "" {
		if _, err := time.Parse("2006-01-02", hopts.Date); err != nil {
			return h.refuseContribute(c, f, site.BadRequest("date", "Give the date as YYYY-MM-DD."))
		}
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return h.refuseContribute(c, f, site.BadRequest("file", "Choose the file to upload."))
	}
	st := h.contribution()
	// Reading a file is the heavy part: a few at once, and not for a token that already has its
	// uploads waiting, nor when every waiting place is taken.
	if err := st.uploads.room(tok.ID, h.site.Now()); err != nil {
		return h.refuseContribute(c, f, err)
	}
	if !st.reading.TryAcquire(1) {
		c.Set(fiber.HeaderRetryAfter, "30")
		return h.refuseContribute(c, f, &site.Error{Status: fiber.StatusTooManyRequests, Code: "busy", Field: "file",
			Message: "Other uploads are being read right now: try again in a minute."})
	}
	defer st.reading.Release(1)
	path, err := st.uploads.spool(fh)
	if err != nil {
		return h.refuseContribute(c, f, err)
	}
	hopts.Name = filepath.Base(fh.Filename)
	p := &pendingUpload{path: path, name: hopts.Name, tokenID: tok.ID, format: forced, opts: hopts, created: h.site.Now()}
	ctx, cancel := context.WithTimeout(c.UserContext(), maxPreviewTime)
	defer cancel()
	pv, opened, err := previewUpload(ctx, p, tok)
	if err != nil {
		os.Remove(path)
		return h.refuseContribute(c, f, site.BadRequest("file", "This file cannot be read: "+strings.TrimPrefix(err.Error(), "ingest: "+p.name+": ")+". Nothing of it was stored."))
	}
	up := &uploadPreview{Name: p.name, Preview: pv}
	if rd := opened.Reader; rd != nil {
		_, up.Skipped = rd.Skipped()
		up.Days, up.Studies = len(rd.Days()), len(rd.Studies())
	}
	if pv.Good == 0 && (pv.Rejected > 0 || up.Days == 0 && up.Studies == 0) {
		os.Remove(path)
		f.Preview = up
		return h.refuseContribute(c, f, site.BadRequest("file", "Nothing in this file can be stored: see the problems below."))
	}
	id, err := st.uploads.add(p, h.site.Now())
	if err != nil {
		os.Remove(path)
		return h.refuseContribute(c, f, err)
	}
	up.ID = id
	f.Preview = up
	return h.renderContribute(c, fiber.StatusOK, f)
}

// openUpload opens a kept upload for reading as its format's records; opened holds the history
// reader once it is read.
func openUpload(p *pendingUpload, tok ingest.Token) (*os.File, ingest.ImportOptions, *histories.Opened, error) {
	fl, err := os.Open(p.path)
	if err != nil {
		return nil, ingest.ImportOptions{}, nil, err
	}
	opened := &histories.Opened{}
	return fl, ingest.ImportOptions{Name: p.name, Open: histories.Opener(p.format, p.opts, ingest.ReadOptions{}, opened), Through: &tok}, opened, nil
}

// previewUpload reads a kept upload through to its end, and notes the format it was read in,
// so the confirmation reads it so again without detecting it anew.
func previewUpload(ctx context.Context, p *pendingUpload, tok ingest.Token) (ingest.Preview, *histories.Opened, error) {
	fl, opts, opened, err := openUpload(p, tok)
	if err != nil {
		return ingest.Preview{}, nil, err
	}
	defer fl.Close()
	pv, err := ingest.PreviewFile(ctx, fl, opts)
	if err == nil {
		p.format = pv.Format
	}
	return pv, opened, err
}

// ContributeConfirm stores a previewed upload as its token's records, then has the figures of
// the requesters it touched computed again.
func (h *Handler) ContributeConfirm(c *fiber.Ctx) error {
	f := h.newContributeForm()
	st := h.contribution()
	p := st.uploads.take(c.FormValue("upload"), h.site.Now())
	if p == nil {
		return h.refuseContribute(c, f, site.BadRequest("upload", "This upload is no longer waiting (it expired after an hour, or was stored already): upload the file again."))
	}
	defer os.Remove(p.path)
	tok, err := h.site.Deps.Ingest.Tokens.Get(c.UserContext(), p.tokenID)
	if errors.Is(err, ingest.ErrUnauthorized) {
		return h.refuseContribute(c, f, &site.Error{Status: fiber.StatusUnauthorized, Code: "unauthorized", Field: "Authorization", Message: "unknown or revoked token"})
	}
	if err != nil {
		return err
	}
	fl, opts, opened, err := openUpload(p, tok)
	if err != nil {
		return err
	}
	defer fl.Close()
	ctx := c.UserContext()
	rep, err := ingest.ImportUpload(ctx, h.site.Deps.Store, h.site.Deps.Hasher, tok, fl, opts)
	if err != nil { // the file was read through in the preview: this is the store's failure
		return fmt.Errorf("contribute: storing %s failed and was taken back: %w", p.name, err)
	}
	if rd := opened.Reader; rd != nil {
		if _, err := histories.StoreExtras(ctx, h.site.Deps.Store, rd, h.site.Deps.Hasher.Reporter("token", tok.ID), tok.ID, market.UploadCrawl(p.name), h.site.Now()); err != nil {
			return err
		}
	}
	if reqs, err := ingest.ContributedRequesters(ctx, h.site.Deps.Store, tok, "upload:"+p.name); err != nil {
		h.site.Deps.Log.Warn("contribute: figures not refreshed", "err", err)
	} else {
		h.refreshContributed(ctx, reqs, false)
	}
	f.Done = &rep
	return h.renderContribute(c, fiber.StatusOK, f)
}

// refreshContributed has the figures of the requesters a contribution touched computed again at
// once (site.Deps.Refresh; without it the scheduled update picks them up, deletions at the next full
// recompute). A failure is logged: the contribution itself is stored or deleted.
func (h *Handler) refreshContributed(ctx context.Context, reqs []string, deleted bool) {
	if h.site.Deps.Refresh == nil || len(reqs) == 0 {
		return
	}
	if err := h.site.Deps.Refresh(ctx, reqs, deleted); err != nil {
		h.site.Deps.Log.Warn("contribute: figures not refreshed", "err", err)
	}
}

// ContributeMine lists what a token contributed.
func (h *Handler) ContributeMine(c *fiber.Ctx) error {
	f := h.newContributeForm()
	tok, err := h.formToken(c)
	if err != nil {
		return h.refuseContribute(c, f, err)
	}
	if f.Contributions, err = ingest.Contributions(c.UserContext(), h.site.Deps.Store, tok); err != nil {
		return err
	}
	f.Listed = true
	return h.renderContribute(c, fiber.StatusOK, f)
}

// ContributeDelete deletes what a token contributed (everything, or one source), and has the
// figures of the requesters it touched computed again.
func (h *Handler) ContributeDelete(c *fiber.Ctx) error {
	f := h.newContributeForm()
	tok, err := h.formToken(c)
	if err != nil {
		return h.refuseContribute(c, f, err)
	}
	ctx := c.UserContext()
	source := strings.TrimSpace(c.FormValue("source"))
	before, err := ingest.Contributions(ctx, h.site.Deps.Store, tok)
	if err != nil {
		return err
	}
	for _, cb := range before {
		if source == "" || cb.Source == source {
			f.Deleted += int(cb.Records)
		}
	}
	reqs, err := ingest.DeleteContributions(ctx, h.site.Deps.Store, tok, source)
	if err != nil {
		return err
	}
	h.refreshContributed(ctx, reqs, true)
	f.DeletedAsked = true
	return h.renderContribute(c, fiber.StatusOK, f)
}

// spool copies an uploaded file to the uploads folder, decompressing a gzip file (within
// maxUploadDecoded), and returns its path.
func (u *uploads) spool(fh *multipart.FileHeader) (string, error) {
	u.mu.Lock()
	if u.dir == "" {
		dir, err := os.MkdirTemp("", "hitwage-uploads-")
		if err != nil {
			u.mu.Unlock()
			return "", err
		}
		u.dir = dir
	}
	dir := u.dir
	u.mu.Unlock()
	src, err := fh.Open()
	if err != nil {
		return "", err
	}
	defer src.Close()
	br := bufio.NewReader(src)
	var r io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return "", site.BadRequest("file", "This file starts like gzip but is not valid gzip.")
		}
		r = io.LimitReader(zr, maxUploadDecoded+1)
	}
	dst, err := os.CreateTemp(dir, "upload-*")
	if err != nil {
		return "", err
	}
	n, err := io.Copy(dst, r)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		os.Remove(dst.Name())
		return "", site.BadRequest("file", "This file could not be read: "+err.Error())
	case n > maxUploadDecoded:
		os.Remove(dst.Name())
		return "", &site.Error{Status: fiber.StatusRequestEntityTooLarge, Code: "body_too_large", Field: "file",
			Message: fmt.Sprintf("This file is over %d MiB once decompressed: split it and upload the parts.", maxUploadDecoded>>20)}
	}
	return dst.Name(), nil
}

// room checks, before a file is read, that a place is free for it and that the token has no more
// than maxPendingByToken uploads waiting already.
func (u *uploads) room(tokenID string, now time.Time) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.expire(now)
	mine := 0
	for _, p := range u.pending {
		if p.tokenID == tokenID {
			mine++
		}
	}
	switch {
	case mine >= maxPendingByToken:
		return &site.Error{Status: fiber.StatusTooManyRequests, Code: "busy", Field: "file",
			Message: "You have uploads waiting for your confirmation: confirm them, or wait an hour for them to expire."}
	case len(u.pending) >= maxPendingUploads:
		return &site.Error{Status: fiber.StatusTooManyRequests, Code: "busy", Field: "file",
			Message: "Too many uploads are waiting for confirmation right now: try again in a few minutes."}
	}
	return nil
}

// add keeps p waiting for confirmation under a new random id; expired uploads are dropped first.
func (u *uploads) add(p *pendingUpload, now time.Time) (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	id := hex.EncodeToString(b)
	u.mu.Lock()
	defer u.mu.Unlock()
	u.expire(now)
	if len(u.pending) >= maxPendingUploads {
		return "", &site.Error{Status: fiber.StatusTooManyRequests, Code: "busy", Field: "file",
			Message: "Too many uploads are waiting for confirmation right now: try again in a few minutes."}
	}
	u.pending[id] = p
	return id, nil
}

// take removes and returns the upload waiting under id, or nil.
func (u *uploads) take(id string, now time.Time) *pendingUpload {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.expire(now)
	p := u.pending[id]
	delete(u.pending, id)
	return p
}

func (u *uploads) expire(now time.Time) {
	for id, p := range u.pending {
		if now.Sub(p.created) > pendingUploadTTL {
			os.Remove(p.path)
			delete(u.pending, id)
		}
	}
}
