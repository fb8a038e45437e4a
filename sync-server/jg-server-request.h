/* jg-server-request.h: a request body, from bytes to a checked request
 *
 * Everything the server does with a request's body before it touches the
 * store: inflate it (bounded), parse it (guarded), check the members of a
 * sync or login request.  No socket and no store, so the fuzz targets in
 * tests/fuzz/ call exactly what the server calls.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  gint64      protocol;
  /* Set by jg_server_sync_request_check(): */
  const char *replica;        /* from root */
  gint64      cursor;
  gint64      limit;
  const char *snapshot;       /* from root; NULL when not asked for */
  gboolean    result_runs;    /* answer a run of acknowledgements as one result */
  GPtrArray  *changes;        /* JgChange, or NULL where that change is refused;
                               * NULL when nothing is pushed */
  GPtrArray  *change_errors;  /* the GError refusing each change, or NULL */
  GPtrArray  *refused;        /* for a refused change, a JgChange holding only
                               * the replica and n it gave, if any; else NULL */
  JsonNode   *root;           /* the members other than "changes" */
  guint       n_changes;      /* in the request, the refused ones too */
  gboolean    changes_not_list;
} JgSyncRequest;

typedef struct
{
  const char *username;  /* all borrowed from the request */
  const char *password;
  const char *replica;   /* NULL when not given */
  const char *device;    /* NULL when not given or too long */
} JgLoginRequest;

typedef struct
{
  gint64      protocol;
  const char *replica;      /* all borrowed from the request */
  const char *new_replica;
  gint64      after;        /* the device holds the old replica's changes up to this n */
} JgForkRequest;

JsonNode *jg_server_request_parse_body (const guint8    *data,
                                        gsize            len,
                                        gboolean         gzip,
                                        GError         **error);
gboolean  jg_server_sync_request_parse (const guint8    *data,
                                        gsize            len,
                                        gboolean         gzip,
                                        JgSyncRequest   *out,
                                        GError         **error);
gboolean  jg_server_sync_request_check (JgSyncRequest  *req,
                                        GError        **error);
gboolean  jg_server_sync_request_check_snapshot (JgSyncRequest  *req,
                                                 GError        **error);
void      jg_server_sync_request_clear (JgSyncRequest  *req);
gboolean  jg_server_login_request_read (JsonNode        *request,
                                        JgLoginRequest  *out,
                                        GError         **error);

gboolean  jg_server_fork_request_read  (JsonNode        *request,
                                        JgForkRequest   *out,
                                        GError         **error);

G_END_DECLS
