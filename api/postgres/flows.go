package postgres

import (
	"context"
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/waflows/waflows/api"
	"github.com/waflows/waflows/api/internal/rows"
)

const flowColumns = `id, seq, waba_id, name, status, categories, validation_errors, json_version, data_api_version,
	uses_endpoint, endpoint_uri, application_id, asset_sha256, asset_size, asset_uploaded_at, created_at, updated_at,
	preview_token, preview_expires_at`

// scanFlow reads one row selected with flowColumns (and any extra destinations after them).
func scanFlow(row pgx.Row, extra ...any) (api.Flow, error) {
	var (
		f                                 api.Flow
		id                                int64
		cats, verrs, status               string
		assetSHA                          string
		assetSize, assetAt, cAt, uAt, pAt int64
	)
	dest := append([]any{&id, &f.Seq, &f.WABAID, &f.Name, &status, &cats, &verrs, &f.JSONVersion, &f.DataAPIVersion,
		&f.UsesEndpoint, &f.EndpointURI, &f.ApplicationID, &assetSHA, &assetSize, &assetAt, &cAt, &uAt,
		&f.Preview.Token, &pAt}, extra...)
	if err := row.Scan(dest...); err != nil {
		return api.Flow{}, err
	}
	f.ID = strconv.FormatInt(id, 10)
	f.Status = api.Status(status)
	f.Categories = rows.ParseCategories(cats)
	var err error
	if f.ValidationErrors, err = rows.ParseValidationErrors(verrs, f.ID); err != nil {
		return api.Flow{}, err
	}
	f.Asset = rows.ParseAsset(assetSHA, assetSize, assetAt)
	f.CreatedAt, f.UpdatedAt = rows.Time(cAt), rows.Time(uAt)
	if f.Preview.Token != "" {
		f.Preview.ExpiresAt = rows.Time(pAt)
	}
	return f, nil
}

// txFlow reads a flow inside a transaction, locking its row until the transaction ends.
func txFlow(ctx context.Context, tx pgx.Tx, id string) (api.Flow, error) {
	n, ok := rows.ParseID(id)
	if !ok {
		return api.Flow{}, api.NotFound(id)
	}
	f, err := scanFlow(tx.QueryRow(ctx, `SELECT `+flowColumns+` FROM flows WHERE id = $1 FOR UPDATE`, n))
	if errors.Is(err, pgx.ErrNoRows) {
		return api.Flow{}, api.NotFound(id)
	}
	return f, wrap(err)
}

// CreateFlow stores a new flow; see api.FlowStore.
func (s *Store) CreateFlow(ctx context.Context, f *api.Flow, src api.Source) error {
	given := *f // src.Finish may have changed it (published it) when the transaction is run again
	return s.tx(ctx, func() { *f = given }, func(tx pgx.Tx) error {
		var content []byte
		if f.Asset != nil {
			content = src.Content
			if content == nil {
				content = []byte{}
			}
		}
		if src.CloneOf != "" {
			n, ok := rows.ParseID(src.CloneOf)
			if !ok {
				return api.NotFound(src.CloneOf)
			}
			orig, err := scanFlow(tx.QueryRow(ctx, `SELECT `+flowColumns+` FROM flows WHERE id = $1 FOR SHARE`, n))
			if errors.Is(err, pgx.ErrNoRows) {
				return api.NotFound(src.CloneOf)
			}
			if err != nil {
				return err
			}
			f.ValidationErrors, f.JSONVersion, f.DataAPIVersion, f.UsesEndpoint = orig.ValidationErrors, orig.JSONVersion, orig.DataAPIVersion, orig.UsesEndpoint
			f.Asset, content = nil, nil
			if orig.Asset != nil {
				if err := tx.QueryRow(ctx, `SELECT content FROM assets WHERE flow_id = $1`, n).Scan(&content); err != nil {
					return err
				}
				if content == nil {
					content = []byte{}
				}
				a := *orig.Asset
				a.UploadedAt = f.CreatedAt
				f.Asset = &a
			}
		}
		if src.Finish != nil {
			if err := src.Finish(f); err != nil {
				return err
			}
		}
		verrs, err := rows.ValidationErrors(f.ValidationErrors)
		if err != nil {
			return err
		}
		sha, size, at := rows.Asset(f.Asset)
		// seq orders "newest first", so it must follow commit order: a client polling with before=<newest
		// cursor> would otherwise miss a flow that took its seq before, and committed after, the newest it
		// saw. Creates in one account take their seq one at a time, each holding this lock until it commits.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, seqLockClass, f.WABAID); err != nil {
			return err
		}
		// A random id collides with an existing one about never; the savepoint lets a collision retry.
		for attempt := 0; ; attempt++ {
			if f.ID == "" || attempt > 0 {
				f.ID = api.NewFlowID()
			}
			id, ok := rows.ParseID(f.ID)
			if !ok {
				return api.Errorf(api.EINVALID, "flow id %q is not numeric", f.ID)
			}
			err := tx.QueryRow(ctx, `INSERT INTO flows (id, waba_id, name, status, categories, validation_errors, json_version,
					data_api_version, uses_endpoint, endpoint_uri, application_id, asset_sha256, asset_size, asset_uploaded_at,
					created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
				ON CONFLICT (id) DO NOTHING RETURNING seq`,
				id, f.WABAID, f.Name, string(f.Status), rows.Categories(f.Categories), verrs, f.JSONVersion, f.DataAPIVersion,
				f.UsesEndpoint, f.EndpointURI, f.ApplicationID, sha, size, at, f.CreatedAt.UnixNano(), f.UpdatedAt.UnixNano()).Scan(&f.Seq)
			if errors.Is(err, pgx.ErrNoRows) && attempt < 5 {
				continue // the id is taken
			}
			if err != nil {
				return err
			}
			if content != nil {
				if _, err := tx.Exec(ctx, `INSERT INTO assets (flow_id, content) VALUES ($1, $2)`, id, content); err != nil {
					return err
				}
			}
			return nil
		}
	})
}

// Flow returns one flow; ENOTFOUND when it does not exist.
func (s *Store) Flow(ctx context.Context, id string) (api.Flow, error) {
	n, ok := rows.ParseID(id)
	if !ok {
		return api.Flow{}, api.NotFound(id)
	}
	var f api.Flow
	err := s.again(ctx, func() (err error) {
		f, err = scanFlow(s.pool.QueryRow(ctx, `SELECT `+flowColumns+` FROM flows WHERE id = $1`, n))
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return api.Flow{}, api.NotFound(id)
	}
	return f, err
}

// ListFlows returns one page of a business account's flows, newest first. One statement reads the page
// and whether flows exist on the other side of the cursor, so both come from one snapshot.
func (s *Store) ListFlows(ctx context.Context, wabaID string, p api.Page) (api.FlowPage, error) {
	limit := p.Limit
	if limit <= 0 {
		limit = 25
	}
	var q string
	var args []any
	switch {
	case p.Before > 0:
		q = `SELECT ` + flowColumns + `, EXISTS (SELECT 1 FROM flows WHERE waba_id = $1 AND seq <= $2)
			FROM flows WHERE waba_id = $1 AND seq > $2 ORDER BY seq ASC LIMIT $3`
		args = []any{wabaID, p.Before, limit + 1}
	case p.After > 0:
		q = `SELECT ` + flowColumns + `, EXISTS (SELECT 1 FROM flows WHERE waba_id = $1 AND seq >= $2)
			FROM flows WHERE waba_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3`
		args = []any{wabaID, p.After, limit + 1}
	default:
		q = `SELECT ` + flowColumns + `, false FROM flows WHERE waba_id = $1 ORDER BY seq DESC LIMIT $2`
		args = []any{wabaID, limit + 1}
	}
	var flows []api.Flow
	var beyondCursor bool // flows on the far side of the cursor exist
	err := s.again(ctx, func() error {
		flows, beyondCursor = flows[:0], false
		rs, err := s.pool.Query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			f, err := scanFlow(rs, &beyondCursor)
			if err != nil {
				return err
			}
			flows = append(flows, f)
		}
		return rs.Err()
	})
	if err != nil {
		return api.FlowPage{}, err
	}
	if len(flows) == 0 {
		return api.FlowPage{}, nil
	}
	var page api.FlowPage
	more := len(flows) > limit
	if more {
		flows = flows[:limit]
	}
	if p.Before > 0 {
		for i, j := 0, len(flows)-1; i < j; i, j = i+1, j-1 {
			flows[i], flows[j] = flows[j], flows[i]
		}
		page.HasPrevious, page.HasNext = more, beyondCursor
	} else {
		page.HasNext, page.HasPrevious = more, beyondCursor
	}
	page.Flows = flows
	return page, nil
}

// UpdateFlow reads, changes and writes back one flow in one transaction, holding its row lock.
func (s *Store) UpdateFlow(ctx context.Context, id string, change func(*api.Flow) error) (api.Flow, error) {
	return s.mutate(ctx, id, nil, change)
}

// PutAsset replaces a flow's JSON and metadata in one transaction.
func (s *Store) PutAsset(ctx context.Context, id string, content []byte, change func(*api.Flow) error) (api.Flow, error) {
	if content == nil {
		content = []byte{}
	}
	return s.mutate(ctx, id, content, change)
}

func (s *Store) mutate(ctx context.Context, id string, content []byte, change func(*api.Flow) error) (api.Flow, error) {
	var f api.Flow
	err := s.tx(ctx, nil, func(tx pgx.Tx) error {
		var err error
		if f, err = txFlow(ctx, tx, id); err != nil {
			return err
		}
		if err := change(&f); err != nil {
			return err
		}
		verrs, err := rows.ValidationErrors(f.ValidationErrors)
		if err != nil {
			return err
		}
		sha, size, at := rows.Asset(f.Asset)
		n, _ := rows.ParseID(f.ID)
		_, err = tx.Exec(ctx, `UPDATE flows SET name = $1, status = $2, categories = $3, validation_errors = $4,
			json_version = $5, data_api_version = $6, uses_endpoint = $7, endpoint_uri = $8, application_id = $9,
			asset_sha256 = $10, asset_size = $11, asset_uploaded_at = $12, updated_at = $13, preview_token = $14,
			preview_expires_at = $15 WHERE id = $16`,
			f.Name, string(f.Status), rows.Categories(f.Categories), verrs, f.JSONVersion, f.DataAPIVersion, f.UsesEndpoint,
			f.EndpointURI, f.ApplicationID, sha, size, at, f.UpdatedAt.UnixNano(), f.Preview.Token, rows.PreviewAt(f.Preview), n)
		if err != nil {
			return err
		}
		if content != nil {
			_, err = tx.Exec(ctx, `INSERT INTO assets (flow_id, content) VALUES ($1, $2)
				ON CONFLICT (flow_id) DO UPDATE SET content = excluded.content`, n, content)
		}
		return err
	})
	if err != nil {
		return api.Flow{}, err
	}
	return f, nil
}

// Asset returns the bytes of a flow's JSON.
func (s *Store) Asset(ctx context.Context, id string) ([]byte, error) {
	n, ok := rows.ParseID(id)
	if !ok {
		return nil, api.NotFound(id)
	}
	var content []byte
	err := s.again(ctx, func() error {
		return s.pool.QueryRow(ctx, `SELECT content FROM assets WHERE flow_id = $1`, n).Scan(&content)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, api.NotFound(id)
	}
	if err == nil && content == nil {
		content = []byte{}
	}
	return content, err
}

// DeleteFlow removes a flow and its JSON after check approves, in one transaction.
func (s *Store) DeleteFlow(ctx context.Context, id string, check func(*api.Flow) error) error {
	return s.tx(ctx, nil, func(tx pgx.Tx) error {
		f, err := txFlow(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := check(&f); err != nil {
			return err
		}
		n, _ := rows.ParseID(f.ID)
		_, err = tx.Exec(ctx, `DELETE FROM flows WHERE id = $1`, n) // assets go with it (ON DELETE CASCADE)
		return err
	})
}
