package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"github.com/waflows/waflows/api"
	"github.com/waflows/waflows/api/internal/rows"
)

const flowColumns = `id, seq, waba_id, name, status, categories, validation_errors, json_version, data_api_version,
	uses_endpoint, endpoint_uri, application_id, asset_sha256, asset_size, asset_uploaded_at, created_at, updated_at,
	preview_token, preview_expires_at`

type scanner interface{ Scan(dest ...any) error }

// scanFlow reads one row selected with flowColumns.
func scanFlow(row scanner) (api.Flow, error) {
	var (
		f                                 api.Flow
		id                                int64
		cats, verrs, status               string
		assetSHA                          string
		assetSize, assetAt, cAt, uAt, pAt int64
		err                               error
	)
	err = row.Scan(&id, &f.Seq, &f.WABAID, &f.Name, &status, &cats, &verrs, &f.JSONVersion, &f.DataAPIVersion,
		&f.UsesEndpoint, &f.EndpointURI, &f.ApplicationID, &assetSHA, &assetSize, &assetAt, &cAt, &uAt,
		&f.Preview.Token, &pAt)
	if err != nil {
		return api.Flow{}, err
	}
	f.ID = strconv.FormatInt(id, 10)
	f.Status = api.Status(status)
	f.Categories = rows.ParseCategories(cats)
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

// flowValues returns the stored form of a flow's encoded columns.
func flowValues(f *api.Flow) (cats, verrs string, assetSHA string, assetSize, assetAt int64, err error) {
	verrs, err = rows.ValidationErrors(f.ValidationErrors)
	assetSHA, assetSize, assetAt = rows.Asset(f.Asset)
	return rows.Categories(f.Categories), verrs, assetSHA, assetSize, assetAt, err
}

// CreateFlow stores a new flow; see api.FlowStore.
func (s *Store) CreateFlow(ctx context.Context, f *api.Flow, src api.Source) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.checkFile(); err != nil {
		return err
	}
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return wrap(err)
	}
	defer tx.Rollback()
	var content []byte
	if f.Asset != nil {
		content = src.Content
		if content == nil {
			content = []byte{}
		}
	}
	if src.CloneOf != "" {
		orig, err := txFlow(ctx, tx, src.CloneOf)
		if err != nil {
			return err
		}
		f.ValidationErrors, f.JSONVersion, f.DataAPIVersion, f.UsesEndpoint = orig.ValidationErrors, orig.JSONVersion, orig.DataAPIVersion, orig.UsesEndpoint
		f.Asset, content = nil, nil
		if orig.Asset != nil {
			if err := tx.QueryRowContext(ctx, `SELECT content FROM assets WHERE flow_id = ?`, mustID(orig.ID)).Scan(&content); err != nil {
				return wrap(err)
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
	if err := tx.QueryRowContext(ctx, `UPDATE counters SET value = value + 1 WHERE name = 'flow_seq' RETURNING value`).Scan(&f.Seq); err != nil {
		return wrap(err)
	}
	cats, verrs, assetSHA, assetSize, assetAt, err := flowValues(f)
	if err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		if f.ID == "" || attempt > 0 {
			f.ID = api.NewFlowID()
		}
		id, ok := rows.ParseID(f.ID)
		if !ok {
			return api.Errorf(api.EINVALID, "flow id %q is not numeric", f.ID)
		}
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM flows WHERE id = ?`, id).Scan(&exists); err != nil {
			return wrap(err)
		}
		if exists > 0 && attempt < 5 {
			continue
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO flows (`+flowColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, f.Seq, f.WABAID, f.Name, string(f.Status), cats, verrs, f.JSONVersion, f.DataAPIVersion,
			f.UsesEndpoint, f.EndpointURI, f.ApplicationID, assetSHA, assetSize, assetAt, f.CreatedAt.UnixNano(), f.UpdatedAt.UnixNano(),
			f.Preview.Token, rows.PreviewAt(f.Preview))
		if err != nil {
			return wrap(err)
		}
		if content != nil {
			if _, err := tx.ExecContext(ctx, `INSERT INTO assets (flow_id, content) VALUES (?, ?)`, id, content); err != nil {
				return wrap(err)
			}
		}
		if err := tx.Commit(); err != nil {
			return wrap(err)
		}
		s.index.put(*f)
		return nil
	}
}

// mustID converts an id that came from the database back to its rowid.
func mustID(id string) int64 {
	n, _ := strconv.ParseInt(id, 10, 64)
	return n
}

// txFlow reads a flow inside a transaction.
func txFlow(ctx context.Context, tx *sql.Tx, id string) (api.Flow, error) {
	n, ok := rows.ParseID(id)
	if !ok {
		return api.Flow{}, api.NotFound(id)
	}
	f, err := scanFlow(tx.QueryRowContext(ctx, `SELECT `+flowColumns+` FROM flows WHERE id = ?`, n))
	if errors.Is(err, sql.ErrNoRows) {
		return api.Flow{}, api.NotFound(id)
	}
	return f, wrap(err)
}

// Flow returns one flow; ENOTFOUND when it does not exist.
func (s *Store) Flow(ctx context.Context, id string) (api.Flow, error) {
	f, ok := s.index.get(id)
	if !ok {
		return api.Flow{}, api.NotFound(id)
	}
	return f, nil
}

// ListFlows returns one page of a business account's flows, newest first.
func (s *Store) ListFlows(ctx context.Context, wabaID string, p api.Page) (api.FlowPage, error) {
	return s.index.page(wabaID, p), nil
}

// UpdateFlow reads, changes and writes back one flow in one transaction.
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
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.checkFile(); err != nil {
		return api.Flow{}, err
	}
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return api.Flow{}, wrap(err)
	}
	defer tx.Rollback()
	f, err := txFlow(ctx, tx, id)
	if err != nil {
		return api.Flow{}, err
	}
	if err := change(&f); err != nil {
		return api.Flow{}, err
	}
	cats, verrs, assetSHA, assetSize, assetAt, err := flowValues(&f)
	if err != nil {
		return api.Flow{}, err
	}
	n := mustID(f.ID)
	_, err = tx.ExecContext(ctx, `UPDATE flows SET name = ?, status = ?, categories = ?, validation_errors = ?,
		json_version = ?, data_api_version = ?, uses_endpoint = ?, endpoint_uri = ?, application_id = ?,
		asset_sha256 = ?, asset_size = ?, asset_uploaded_at = ?, updated_at = ?, preview_token = ?,
		preview_expires_at = ? WHERE id = ?`,
		f.Name, string(f.Status), cats, verrs, f.JSONVersion, f.DataAPIVersion, f.UsesEndpoint, f.EndpointURI,
		f.ApplicationID, assetSHA, assetSize, assetAt, f.UpdatedAt.UnixNano(), f.Preview.Token, rows.PreviewAt(f.Preview), n)
	if err != nil {
		return api.Flow{}, wrap(err)
	}
	if content != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO assets (flow_id, content) VALUES (?, ?)
			ON CONFLICT (flow_id) DO UPDATE SET content = excluded.content`, n, content); err != nil {
			return api.Flow{}, wrap(err)
		}
	}
	if err := tx.Commit(); err != nil {
		return api.Flow{}, wrap(err)
	}
	s.index.put(f)
	return f, nil
}

// Asset returns the bytes of a flow's JSON.
func (s *Store) Asset(ctx context.Context, id string) ([]byte, error) {
	n, ok := rows.ParseID(id)
	if !ok {
		return nil, api.NotFound(id)
	}
	var content []byte
	err := s.reader.QueryRowContext(ctx, `SELECT content FROM assets WHERE flow_id = ?`, n).Scan(&content)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, api.NotFound(id)
	}
	if content == nil && err == nil {
		content = []byte{}
	}
	return content, wrap(err)
}

// DeleteFlow removes a flow and its JSON after check approves, in one transaction.
func (s *Store) DeleteFlow(ctx context.Context, id string, check func(*api.Flow) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.checkFile(); err != nil {
		return err
	}
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return wrap(err)
	}
	defer tx.Rollback()
	f, err := txFlow(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := check(&f); err != nil {
		return err
	}
	n := mustID(f.ID)
	if _, err := tx.ExecContext(ctx, `DELETE FROM assets WHERE flow_id = ?`, n); err != nil {
		return wrap(err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM flows WHERE id = ?`, n); err != nil {
		return wrap(err)
	}
	if err := tx.Commit(); err != nil {
		return wrap(err)
	}
	s.index.remove(f)
	return nil
}
