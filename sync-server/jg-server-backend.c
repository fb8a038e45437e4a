/* jg-server-backend.c: login, tokens, push and pull on the server's store
 *
 * A push is one transaction: every change is checked on its own (scope,
 * role, value, balance, clock), the accepted ones are merged in the order
 * they arrived and get their server_seq (the server's change_entry.seq), and
 * the reply is built only after COMMIT on a store opened with
 * JG_STORE_DURABLE.  A rejected change never stops the others.
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "jg-award.h"
#include "jg-ledger.h"
#include "jg-org-units.h"
#include "jg-review.h"
#include "jg-rubric.h"
#include "jg-validate.h"
#include "jg-server-backend.h"
#include "jg-rules.h"
#include "jg-server-error.h"
#include "jg-server-request.h"
#include "jg-store-private.h"

#define LOGIN_WINDOW_MS        ((gint64) 5 * 60 * 1000)
#define LOGIN_MAX_PER_USER     5
#define LOGIN_MAX_PER_ADDRESS  30

static const char * const roles[] = {
  "village_staff", "township_staff", "county_reviewer", "county_admin", NULL
};

void
jg_server_user_free (JgServerUser *user)
{
  if (user == NULL)
    return;
  g_free (user->username);
  g_free (user->role);
  g_free (user->org_unit);
  g_free (user->path);
  g_free (user->replica);
  g_free (user->token_hash);
  g_free (user);
}

gboolean
jg_server_role_valid (const char *role)
{
  return role != NULL && g_strv_contains (roles, role);
}

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

static char *
now_iso (void)
{
  g_autoptr(GDateTime) dt = g_date_time_new_now_utc ();

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

/* ---- org units ---------------------------------------------------------- */

/* The path of a 12-digit division code (PP CC DD TTT VVV), from the code
 * itself: "/33/3310/331082/331082004/331082004240/".  Used when the org
 * unit table does not know the code (a store without imported units). */
static char *
derive_path (const char *code)
{
  static const int cuts[] = { 2, 4, 6, 9, 12 };
  char full[13];
  gsize len = strlen (code);
  GString *path;
  int depth = 0;

  if (len != 2 && len != 4 && len != 6 && len != 9 && len != 12)
    return NULL;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (code[i]))
      return NULL;
  memset (full, '0', 12);
  memcpy (full, code, len);
  full[12] = '\0';

  for (int level = 0; level < 5; level++)
    {
      int from = level ? cuts[level - 1] : 0;

      for (int i = from; i < cuts[level]; i++)
        if (full[i] != '0')
          depth = level + 1;
    }
  if (depth == 0)
    return NULL;

  path = g_string_new ("/");
  for (int level = 0; level < depth; level++)
    {
      g_string_append_len (path, full, cuts[level]);
      g_string_append_c (path, '/');
    }
  return g_string_free (path, FALSE);
}

char *
jg_server_unit_path (JgStore    *store,
                     const char *code)
{
  g_autofree char *path = NULL;

  if (code == NULL || *code == '\0')
    return NULL;
  path = jg_org_units_path_for_code (store, code);
  if (path != NULL)
    return g_steal_pointer (&path);
  /* With imported units, an unknown code is an error, not a guess. */
  if (jg_org_units_count (store, NULL) != 0)
    return NULL;
  return derive_path (code);
}

static gboolean
path_within (const char *path,
             const char *scope)
{
  return path != NULL && scope != NULL && g_str_has_prefix (path, scope);
}

/* ---- admin -------------------------------------------------------------- */

gboolean
jg_server_backend_init_store (JgStore  *store,
                              GError  **error)
{
  if (!jg_store_set_meta (store, "store_kind", "server", error))
    return FALSE;
  return jg_store_set_username (store, "server", error);
}

gboolean
jg_server_backend_user_add (JgStore     *store,
                            const char  *username,
                            const char  *role,
                            const char  *org_unit,
                            const char  *password,
                            guint       *n_signed_out,
                            GError     **error)
{
  g_autofree char *old_role = NULL;
  g_autofree char *old_unit = NULL;
  char hash[crypto_pwhash_STRBYTES];
  g_autofree char *id = jg_uuid7_new (now_ms ());
  g_autofree char *created = now_iso ();
  g_autofree char *path = NULL;
  g_autoptr(JgStmt) stmt = NULL;

  if (username == NULL || *username == '\0' || g_utf8_strlen (username, -1) > 64 ||
      !g_utf8_validate (username, -1, NULL))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_INVALID, _("A user name must be 1 to 64 characters"));
      return FALSE;
    }
  if (!jg_server_role_valid (role))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_NOT_ALLOWED_VALUE,
                   _("Unknown role “%s”: use village_staff, township_staff, county_reviewer or county_admin"),
                   role ? role : "");
      return FALSE;
    }
  path = jg_server_unit_path (store, org_unit);
  if (path == NULL)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_NOT_FOUND,
                   _("Unknown org unit “%s”"), org_unit ? org_unit : "");
      return FALSE;
    }
  if (!jg_review_role_fits_unit (role, org_unit, error))
    return FALSE;
  if (password == NULL || strlen (password) < 8)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_INVALID, _("A password must have at least 8 characters"));
      return FALSE;
    }
  if (sodium_init () < 0 ||
      crypto_pwhash_str (hash, password, strlen (password),
                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_FAILED, _("Cannot hash the password (out of memory?)"));
      return FALSE;
    }

  if (n_signed_out != NULL)
    *n_signed_out = 0;
  if (!jg_store_begin (store, error))
    return FALSE;
  stmt = jg_store_prepare (store, "SELECT role, org_unit FROM user WHERE username = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      old_role = g_strdup (jg_stmt_text (stmt, 0));
      old_unit = g_strdup (jg_stmt_text (stmt, 1));
    }
  jg_stmt_release (g_steal_pointer (&stmt));

  stmt = jg_store_prepare (store,
                           "INSERT INTO user (id, username, role, org_unit, password_hash, created_at) "
                           "VALUES (?, ?, ?, ?, ?, ?) "
                           "ON CONFLICT (username) DO UPDATE SET role = excluded.role, "
                           "org_unit = excluded.org_unit, password_hash = excluded.password_hash, "
                           "disabled = 0", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, username, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, role, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, org_unit, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, created, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      jg_store_sqlite_error (store, error);
      sodium_memzero (hash, sizeof hash);
      goto fail;
    }
  sodium_memzero (hash, sizeof hash);
  /* Moved to another unit or given another role: her devices hold the
   * old area's records and pull from where the old one stood, so they
   * sign in again, and a laptop signing in with another unit starts its
   * pull again (jg_sync_client_login_async()). */
  if (old_role != NULL && (g_strcmp0 (old_role, role) != 0 || g_strcmp0 (old_unit, org_unit) != 0) &&
      !jg_server_backend_token_revoke (store, username, n_signed_out, error))
    goto fail;
  return jg_store_commit (store, error);

fail:
  jg_store_rollback (store);
  return FALSE;
}

gboolean
jg_server_backend_token_revoke (JgStore     *store,
                                const char  *username,
                                guint       *n_revoked,
                                GError     **error)
{
  g_autoptr(JgStmt) stmt = NULL;

  /* A name nobody has is a typo, not a user with no devices. */
  stmt = jg_store_prepare (store, "SELECT EXISTS (SELECT 1 FROM user WHERE username = ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return jg_store_sqlite_error (store, error);
  if (sqlite3_column_int (stmt, 0) == 0)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_NOT_FOUND, _("There is no user “%s”"), username);
      return FALSE;
    }
  jg_stmt_release (g_steal_pointer (&stmt));

  stmt = jg_store_prepare (store, "UPDATE device_token SET revoked = 1 WHERE username = ? AND revoked = 0",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return jg_store_sqlite_error (store, error);
  if (n_revoked)
    *n_revoked = (guint) sqlite3_changes (jg_store_get_db (store));
  return TRUE;
}

/* Stops @username signing in and signs out every device of theirs, in one
 * transaction; user-add gives the account back with a new password. */
gboolean
jg_server_backend_user_disable (JgStore     *store,
                                const char  *username,
                                guint       *n_revoked,
                                GError     **error)
{
  g_autoptr(JgStmt) stmt = NULL;

  if (!jg_store_begin (store, error))
    return FALSE;
  stmt = jg_store_prepare (store, "UPDATE user SET disabled = 1 WHERE username = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      jg_store_sqlite_error (store, error);
      goto fail;
    }
  if (sqlite3_changes (jg_store_get_db (store)) == 0)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_NOT_FOUND, _("There is no user “%s”"), username);
      goto fail;
    }
  if (!jg_server_backend_token_revoke (store, username, n_revoked, error))
    goto fail;
  return jg_store_commit (store, error);

fail:
  jg_store_rollback (store);
  return FALSE;
}

/* Every user, by unit and name: username, display_name, role, org_unit,
 * unit_name, disabled and devices (signed-in devices), one object each. */
JsonArray *
jg_server_backend_user_list (JgStore  *store,
                             GError  **error)
{
  g_autoptr(JsonArray) users = json_array_new ();
  g_autoptr(JgStmt) stmt = NULL;
  int rc;

  stmt = jg_store_prepare (store,
                           "SELECT u.username, u.display_name, u.role, u.org_unit, u.disabled, "
                           " (SELECT count (*) FROM device_token t WHERE t.username = u.username AND t.revoked = 0) "
                           "FROM user u ORDER BY u.org_unit, u.username", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "username", jg_stmt_text (stmt, 0));
      if (jg_stmt_text (stmt, 1) != NULL)
        json_object_set_string_member (o, "display_name", jg_stmt_text (stmt, 1));
      json_object_set_string_member (o, "role", jg_stmt_text (stmt, 2));
      json_object_set_string_member (o, "org_unit", jg_stmt_text (stmt, 3));
      json_object_set_boolean_member (o, "disabled", sqlite3_column_int (stmt, 4) != 0);
      json_object_set_int_member (o, "devices", sqlite3_column_int64 (stmt, 5));
      /* The unit's name as the org units know it (any form of the code). */
      {
        g_autoptr(JsonObject) unit = jg_org_units_lookup (store, jg_stmt_text (stmt, 3), NULL);

        if (unit != NULL && jg_json_get_string (unit, "name") != NULL)
          json_object_set_string_member (o, "unit_name", jg_json_get_string (unit, "name"));
      }
      json_array_add_object_element (users, o);
    }
  if (rc != SQLITE_DONE)
    {
      jg_store_sqlite_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&users);
}

/* ---- login and tokens ----------------------------------------------------- */

static char *
token_hash (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

static gint64
count_attempts (JgStore    *store,
                const char *key,
                gint64      since)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                             "SELECT count(*) FROM login_attempt WHERE key = ? AND at_ms > ?",
                                             NULL);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, since);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

static void
record_attempt (JgStore    *store,
                const char *key,
                gint64      at)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                             "INSERT INTO login_attempt (key, at_ms) VALUES (?, ?)", NULL);

  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, at);
  sqlite3_step (stmt);
}

static void
forget_attempts (JgStore    *store,
                 const char *key,
                 gint64      before)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                             "DELETE FROM login_attempt WHERE key = ? OR at_ms < ?", NULL);

  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, before);
  sqlite3_step (stmt);
}

JsonNode *
jg_server_backend_login (JgStore     *store,
                         JsonNode    *request,
                         const char  *address,
                         GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JgStmt) stmt = NULL;
  g_autofree char *user_key = NULL;
  g_autofree char *addr_key = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *role = NULL;
  g_autofree char *org_unit = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_sha = NULL;
  g_autofree char *created = now_iso ();
  const char *username, *password, *replica, *device;
  JgLoginRequest req;
  gboolean disabled = TRUE;
  gint64 now = now_ms ();

  if (!jg_server_login_request_read (request, &req, error))
    return NULL;
  username = req.username;
  password = req.password;
  replica = req.replica;
  device = req.device;

  user_key = g_strconcat ("user:", username, NULL);
  addr_key = g_strconcat ("addr:", address ? address : "", NULL);
  if (count_attempts (store, user_key, now - LOGIN_WINDOW_MS) >= LOGIN_MAX_PER_USER ||
      count_attempts (store, addr_key, now - LOGIN_WINDOW_MS) >= LOGIN_MAX_PER_ADDRESS)
    {
      g_set_error (error, JG_SERVER_ERROR, JG_SERVER_ERROR_RATE_LIMITED,
                   _("Too many failed sign-ins; wait a few minutes and try again"));
      return NULL;
    }

  stmt = jg_store_prepare (store,
                           "SELECT password_hash, role, org_unit, disabled FROM user WHERE username = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      hash = g_strdup (jg_stmt_text (stmt, 0));
      role = g_strdup (jg_stmt_text (stmt, 1));
      org_unit = g_strdup (jg_stmt_text (stmt, 2));
      disabled = sqlite3_column_int (stmt, 3) != 0;
    }
  jg_stmt_release (g_steal_pointer (&stmt));

  if (hash == NULL || disabled ||
      crypto_pwhash_str_verify (hash, password, strlen (password)) != 0)
    {
      record_attempt (store, user_key, now);
      record_attempt (store, addr_key, now);
      g_set_error (error, JG_SERVER_ERROR, JG_SERVER_ERROR_BAD_CREDENTIALS,
                   _("Wrong user name or password"));
      return NULL;
    }
  forget_attempts (store, user_key, now - LOGIN_WINDOW_MS);

  token = jg_token_new ();
  token_sha = token_hash (token);
  stmt = jg_store_prepare (store,
                           "INSERT INTO device_token (token_hash, username, replica, device, created_at) "
                           "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, token_sha, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, username, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, replica, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, device, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, created, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      jg_store_sqlite_error (store, error);
      return NULL;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "token");
  json_builder_add_string_value (b, token);
  json_builder_set_member_name (b, "user");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "username");
  json_builder_add_string_value (b, username);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, role);
  json_builder_set_member_name (b, "org_unit");
  json_builder_add_string_value (b, org_unit);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "server_time_ms");
  json_builder_add_int_value (b, now_ms ());
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JgServerUser *
jg_server_backend_authenticate (JgStore     *store,
                                const char  *token,
                                GError     **error)
{
  g_autoptr(JgStmt) stmt = NULL;
  g_autofree char *sha = NULL;
  g_autoptr(JgServerUser) user = NULL;

  if (token == NULL || *token == '\0' || strlen (token) > 256)
    {
      g_set_error (error, JG_SERVER_ERROR, JG_SERVER_ERROR_UNAUTHORIZED, _("Sign in first"));
      return NULL;
    }
  sha = token_hash (token);
  stmt = jg_store_prepare (store,
                           "SELECT u.username, u.role, u.org_unit, t.replica FROM device_token t "
                           "JOIN user u ON u.username = t.username "
                           "WHERE t.token_hash = ? AND t.revoked = 0 AND u.disabled = 0", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, sha, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, JG_SERVER_ERROR, JG_SERVER_ERROR_UNAUTHORIZED,
                   _("This device’s sign-in is not valid any more; sign in again"));
      return NULL;
    }
  user = g_new0 (JgServerUser, 1);
  user->username = g_strdup (jg_stmt_text (stmt, 0));
  user->role = g_strdup (jg_stmt_text (stmt, 1));
  user->org_unit = g_strdup (jg_stmt_text (stmt, 2));
  user->replica = g_strdup (jg_stmt_text (stmt, 3));
  user->token_hash = g_strdup (sha);
  jg_stmt_release (g_steal_pointer (&stmt));

  user->path = jg_server_unit_path (store, user->org_unit);
  if (user->path == NULL)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_PERMISSION,
                   _("Your org unit “%s” is not known to the server"), user->org_unit);
      return NULL;
    }
  return g_steal_pointer (&user);
}

/* ---- push: the checks on one change ----------------------------------------- */

typedef struct
{
  JgStore      *store;
  JgServerUser *user;
  GPtrArray    *changes;         /* JgChange or NULL (did not parse), in request order */
  GHashTable   *refused_records; /* record, or record|hlc (one write) -> GError: refused whole */
  GHashTable   *born;            /* records this batch creates on the server */
  gint64        now_ms;
  char         *scope_record;    /* push_scope(): the record last looked up */
  struct _Scope *scope;          /* its scope, NULL when the server has none */
  GHashTable   *unit_paths;      /* push_unit_path(): code -> path, "" unknown */
  GHashTable   *by_record;       /* record -> GArray of its changes' indexes, in order */
} Push;

typedef struct _Scope
{
  char *entity;
  char *org_unit;
  char *path;
} Scope;

static void
scope_free (Scope *scope)
{
  if (scope == NULL)
    return;
  g_free (scope->entity);
  g_free (scope->org_unit);
  g_free (scope->path);
  g_free (scope);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Scope, scope_free)

static Scope *
scope_lookup (JgStore    *store,
              const char *record)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                             "SELECT entity, org_unit, path FROM record_scope WHERE record_id = ?",
                                             NULL);
  Scope *scope;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, record, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  scope = g_new0 (Scope, 1);
  scope->entity = g_strdup (jg_stmt_text (stmt, 0));
  scope->org_unit = g_strdup (jg_stmt_text (stmt, 1));
  scope->path = g_strdup (jg_stmt_text (stmt, 2));
  return scope;
}

/* The record's scope, borrowed: looked up once while the record's changes
 * follow each other, as they do in a push. */
static const Scope *
push_scope (Push       *push,
            const char *record)
{
  if (push->scope_record == NULL || strcmp (push->scope_record, record) != 0)
    {
      g_clear_pointer (&push->scope, scope_free);
      g_free (push->scope_record);
      push->scope_record = g_strdup (record);
      push->scope = scope_lookup (push->store, record);
    }
  return push->scope;
}

/* jg_server_unit_path(), remembered for the push (units are not changed
 * by a push): a first upload names the same few units thousands of times. */
static char *
push_unit_path (Push       *push,
                const char *code)
{
  const char *path;

  if (code == NULL)
    return NULL;
  path = g_hash_table_lookup (push->unit_paths, code);
  if (path == NULL)
    {
      char *found = jg_server_unit_path (push->store, code);

      path = found ? found : g_strdup ("");
      g_hash_table_insert (push->unit_paths, g_strdup (code), (gpointer) path);
    }
  return *path != '\0' ? g_strdup (path) : NULL;
}

/* After scope_refresh(). */
static void
push_forget_scope (Push *push)
{
  g_clear_pointer (&push->scope_record, g_free);
  g_clear_pointer (&push->scope, scope_free);
}

/* After an org_unit change is merged: the record's unit is whatever won. */
static gboolean
scope_refresh (Push            *push,
               const JgChange  *change,
               GError         **error)
{
  JgStore *store = push->store;
  const JgEntityDef *entity = jg_entity_lookup (change->entity);
  g_autofree char *sql = NULL;
  g_autofree char *code = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JgStmt) stmt = NULL;

  /* The table name comes from jg-entity.c, never from the request. */
  sql = g_strdup_printf ("SELECT org_unit FROM \"%s\" WHERE id = ?", entity->name);
  stmt = jg_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, change->record, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    code = g_strdup (jg_stmt_text (stmt, 0));
  jg_stmt_release (g_steal_pointer (&stmt));
  if (code == NULL || (path = push_unit_path (push, code)) == NULL)
    return TRUE;

  /* A move: the units that lose the record and those that gain it learn
   * of it at this change's seq (pull_moves). */
  {
    g_autoptr(Scope) before = scope_lookup (store, change->record);

    if (before != NULL && strcmp (before->path, path) != 0)
      {
        stmt = jg_store_prepare (store,
                                 "INSERT INTO record_move (seq, record_id, entity, old_path, new_path) "
                                 "VALUES (?, ?, ?, ?, ?)", error);
        if (stmt == NULL)
          return FALSE;
        sqlite3_bind_int64 (stmt, 1, jg_store_get_last_seq (store));
        sqlite3_bind_text (stmt, 2, change->record, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 3, entity->name, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 4, before->path, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 5, path, -1, SQLITE_STATIC);
        if (sqlite3_step (stmt) != SQLITE_DONE)
          return jg_store_sqlite_error (store, error);
        jg_stmt_release (g_steal_pointer (&stmt));
      }
  }

  stmt = jg_store_prepare (store,
                           "INSERT INTO record_scope (record_id, entity, org_unit, path) VALUES (?, ?, ?, ?) "
                           "ON CONFLICT (record_id) DO UPDATE SET org_unit = excluded.org_unit, "
                           "path = excluded.path", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, change->record, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, entity->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, path, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return jg_store_sqlite_error (store, error);
  return TRUE;
}

static char *
value_string (const JgChange *change)
{
  g_autoptr(JsonNode) node = jg_json_parse (change->value, -1, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

static gboolean
value_int (const JgChange *change,
           gint64         *out)
{
  g_autoptr(JsonNode) node = jg_json_parse (change->value, -1, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

/* One column of a stored record; the names come from jg-entity.c. */
static char *
stored_text (JgStore           *store,
             const JgEntityDef *entity,
             const char        *record,
             const char        *column)
{
  g_autofree char *sql = NULL;
  g_autoptr(JgStmt) stmt = NULL;
  char *pending;

  /* The record the push is writing: its row is not saved yet. */
  if (jg_store_batch_peek (store, record, column, &pending))
    return pending;
  sql = g_strdup_printf ("SELECT \"%s\" FROM \"%s\" WHERE id = ?", column, entity->name);
  stmt = jg_store_prepare (store, sql, NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, record, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup (jg_stmt_text (stmt, 0));
}

/* Whether @username has signed in on the device @replica (a token made
 * for it, revoked since or not). */
static gboolean
signed_in_on (JgStore    *store,
              const char *username,
              const char *replica)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                             "SELECT 1 FROM device_token WHERE username = ? AND replica = ? LIMIT 1",
                                             NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, replica, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static gboolean
is_server_user (JgStore    *store,
                const char *username)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (store, "SELECT 1 FROM user WHERE username = ?", NULL);

  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/* A new record's created_by names who made it, never somebody else: the
 * pushing user; or another user who signed in on the same device (a shared
 * laptop: what one wrote, the next pushes); or the user of a store nobody
 * had signed in to yet (local-only records that reach the server after the
 * first sign-in), unless a server user has that name. */
static gboolean
check_created_by (Push            *push,
                  const JgChange  *change,
                  GError         **error)
{
  g_autofree char *name = value_string (change);

  /* Not a name at all: the value rules refuse it. */
  if (name == NULL || strcmp (name, push->user->username) == 0 ||
      signed_in_on (push->store, name, change->replica) ||
      (strcmp (name, JG_STORE_LOCAL_USER) == 0 && !is_server_user (push->store, name)))
    return TRUE;
  jg_set_field_error (error, JG_ERROR_PERMISSION, change->field,
                      _("A record can only be created in the name of the user who sends it, "
                        "or of another user signed in on this device, not “%s”"), name);
  return FALSE;
}

/* Who may write a field: the review steps and note by the review module's
 * rules (jg-review.h), the ledger's by jg-ledger.h. */

/* A null review note written with the step returned → submitted. */
static gboolean
resubmission_clears_note (Push              *push,
                          const JgEntityDef *entity,
                          const JgChange    *change)
{
  g_autofree char *state = NULL;
  gint64 state_hlc = 0;

  if (strcmp (change->value, "null") != 0)
    return FALSE;
  state = stored_text (push->store, entity, change->record, "review_state");
  return g_strcmp0 (state, "submitted") == 0 &&
         jg_store_field_hlc (push->store, entity, change->record, "review_state", &state_hlc, NULL) &&
         state_hlc == change->hlc;
}

static gboolean
check_role (Push            *push,
            const JgChange  *change,
            const char      *record_path,
            gboolean         is_new,
            GError         **error)
{
  const JgEntityDef *entity = jg_entity_lookup (change->entity);
  const JgFieldDef *field = jg_entity_field (entity, change->field, NULL);
  /* A field of a record is "set" once the server holds a value for it: a
   * record's creation may span several batches. */
  gboolean already_set = FALSE;

  if (jg_ledger_is_local_field (change->entity, change->field))
    {
      jg_set_field_error (error, JG_ERROR_READ_ONLY, change->field,
                          _("“%s” is recorded only on the laptop the server refused the entry to"),
                          change->field);
      return FALSE;
    }
  if ((field->flags & JG_FIELD_FLAG_IMMUTABLE) ||
      strcmp (change->field, "created_by") == 0 || strcmp (change->field, "created_at") == 0)
    {
      g_autofree char *stored = stored_text (push->store, entity, change->record, change->field);

      already_set = stored != NULL;
    }

  /* Fixed at creation: only the write that made the record sets it, even
   * where that write left it empty (a later "reverses" would turn earned
   * hours into a reversal). */
  if (!already_set && (field->flags & JG_FIELD_FLAG_IMMUTABLE))
    {
      gint64 created = 0;

      if (!jg_store_creation_hlc (push->store, entity, change->record, &created, error))
        return FALSE;
      already_set = created != 0 && created != change->hlc;
    }
  if (already_set && (field->flags & JG_FIELD_FLAG_IMMUTABLE) && entity->ledger)
    {
      g_autofree char *reverses = stored_text (push->store, entity, change->record, "reverses");
      g_autofree char *state = stored_text (push->store, entity, change->record, "review_state");

      if (jg_ledger_field_correctable (change->field, reverses, state))
        already_set = FALSE;
    }
  if (already_set && (field->flags & JG_FIELD_FLAG_IMMUTABLE))
    {
      jg_set_field_error (error, JG_ERROR_IMMUTABLE, change->field,
                          _("“%s” cannot be changed once recorded; record a reversing entry instead"),
                          change->field);
      return FALSE;
    }
  if (already_set && (strcmp (change->field, "created_by") == 0 || strcmp (change->field, "created_at") == 0))
    {
      jg_set_field_error (error, JG_ERROR_READ_ONLY, change->field,
                          _("“%s” is set when a record is created"), change->field);
      return FALSE;
    }
  if (!already_set && strcmp (change->field, "created_by") == 0 &&
      !check_created_by (push, change, error))
    return FALSE;
  if (strcmp (change->field, "deleted") == 0 && entity->ledger)
    {
      g_autofree char *reverses = stored_text (push->store, entity, change->record, "reverses");
      g_autofree char *state = stored_text (push->store, entity, change->record, "review_state");

      if (!jg_ledger_check_withdrawal (entity, reverses, state, error))
        return FALSE;
    }
  /* The rule a laptop's delete runs: another laptop may have added an
   * inspection while this one deleted the household offline.  Its review
   * rule (jg_review_check_delete(): an approved record is not deleted) is
   * not asked here: a refused deletion is undone on the laptop against
   * versions the server may not hold, and the simulation found laptops
   * left apart by it.  A laptop that deleted offline what the county
   * approved meanwhile deletes it. */
  if (strcmp (change->field, "deleted") == 0 && g_strcmp0 (change->value, "true") == 0 &&
      !jg_rules_check_delete (push->store, entity, change->record, error))
    return FALSE;
  if (strcmp (change->field, "review_state") == 0)
    {
      g_autofree char *to = value_string (change);
      /* The state as stored now: each accepted change of this batch is
       * applied before the next is checked, so a record created and then
       * submitted and approved in one batch moves step by step. */
      g_autofree char *from = stored_text (push->store, entity, change->record, "review_state");

      g_autofree char *revoked = strcmp (change->entity, "designation") == 0
                                 ? stored_text (push->store, entity, change->record, "revoked") : NULL;

      if (!jg_review_can_transition (push->user->role, push->user->path, record_path, from, to, error) ||
          !jg_review_check_ledger_step (entity, from, to, error) ||
          !jg_review_check_revoked_step (entity, g_strcmp0 (revoked, "1") == 0, from, to, error))
        return FALSE;
      if (entity->ledger)
        {
          g_autofree char *reversed = stored_text (push->store, entity, change->record, "reverses");

          if (!jg_ledger_check_review_step (push->store, entity, change->record, reversed, from, to, error))
            return FALSE;
        }
      /* A reversal counts from its approval: the hours must still be there. */
      if (strcmp (change->entity, "service_entry") == 0 &&
          g_strcmp0 (to, "approved") == 0 && g_strcmp0 (from, "approved") != 0)
        {
          g_autofree char *reverses = stored_text (push->store, entity, change->record, "reverses");
          g_autofree char *volunteer = stored_text (push->store, entity, change->record, "volunteer");
          g_autofree char *minutes = stored_text (push->store, entity, change->record, "minutes");

          if (reverses != NULL &&
              !jg_ledger_check_reversal_covered (push->store, volunteer, reverses,
                                                 minutes ? g_ascii_strtoll (minutes, NULL, 10) : 0, error))
            return FALSE;
        }
    }
  /* The reviewer's note, by the same rule as her decision; except that a
   * resubmission clears the note it answers (jg_review_check_write()): a
   * null note in the very write that moved the record to submitted (its
   * review_state, applied just before, carries this change's stamp). */
  if (strcmp (change->field, "review_note") == 0 &&
      !resubmission_clears_note (push, entity, change) &&
      !jg_review_can_decide (push->user->role, push->user->path, record_path, "review_note", error))
    return FALSE;
  if (strcmp (change->entity, "redemption") == 0 && strcmp (change->field, "status") == 0)
    {
      g_autofree char *status = value_string (change);
      g_autofree char *stored = stored_text (push->store, entity, change->record, "status");

      /* Decided once, by whoever reached the server first. */
      if (!jg_ledger_check_status_step (stored, status, error))
        return FALSE;

      if (g_strcmp0 (status, "pending") != 0 && status != NULL &&
          !jg_ledger_check_decider (push->user->role, error))
        return FALSE;
    }
  return TRUE;
}

/* An inspection's scores against the rubric version it names (stored, or
 * the newest for a new inspection): no item above its maximum. */
static gboolean
check_scores (Push            *push,
              const JgChange  *change,
              GError         **error)
{
  const JgEntityDef *entity = jg_entity_lookup ("inspection");
  g_autoptr(JsonNode) value = jg_json_parse (change->value, -1, NULL);
  g_autofree char *rubric_id = stored_text (push->store, entity, change->record, "rubric");
  g_autofree char *version_text = stored_text (push->store, entity, change->record, "rubric_version");
  g_autoptr(JgRubric) rubric = NULL;
  g_autoptr(JsonObject) sections = NULL;
  double total;
  int star;
  gboolean passed;

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return TRUE;
  rubric = jg_rubric_lookup (rubric_id, version_text ? g_ascii_strtoll (version_text, NULL, 10) : 0, error);
  if (rubric == NULL)
    return FALSE;
  if (strcmp (change->field, "item_scores") == 0)
    return jg_rubric_score (rubric, JSON_NODE_HOLDS_OBJECT (value) ? json_node_get_object (value) : NULL,
                            NULL, &total, &sections, &star, &passed, error);
  return jg_rubric_score (rubric, NULL, JSON_NODE_HOLDS_ARRAY (value) ? json_node_get_array (value) : NULL,
                          &total, &sections, &star, &passed, error);
}

/* Value rules that apply to one field on its own: the same rules a local
 * write runs (jg_validate_change), and the rubric's bounds. */
static gboolean
check_value (Push            *push,
             const JgChange  *change,
             GError         **error)
{
  const JgEntityDef *entity = jg_entity_lookup (change->entity);

  {
    g_autoptr(JsonNode) value = jg_json_parse (change->value, -1, NULL);

    if (!jg_validate_change (push->store, entity, change->field, value, error))
      return FALSE;
  }
  if (strcmp (change->entity, "inspection") == 0 &&
      (strcmp (change->field, "item_scores") == 0 || strcmp (change->field, "veto_hits") == 0) &&
      !check_scores (push, change, error))
    return FALSE;

  if (entity->ledger && strcmp (change->field, "minutes") == 0)
    {
      gint64 minutes = 0;

      if (!value_int (change, &minutes) || minutes <= 0 || minutes > 24 * 60 * 366)
        {
          jg_set_field_error (error, JG_ERROR_OUT_OF_RANGE, change->field,
                              _("“minutes” must be a whole number greater than zero"));
          return FALSE;
        }
    }
  return TRUE;
}

/* What a new ledger record's write in this push says: its volunteer,
 * minutes (-1 when absent) and the entry it reverses, if any. */
static void
ledger_fields (Push        *push,
               const char  *record,
               char       **volunteer,
               gint64      *minutes,
               char       **reverses)
{
  GArray *mine = g_hash_table_lookup (push->by_record, record);

  for (guint k = 0; mine != NULL && k < mine->len; k++)
    {
      const JgChange *c = push->changes->pdata[g_array_index (mine, guint, k)];

      if (strcmp (c->field, "volunteer") == 0)
        {
          g_free (*volunteer);
          *volunteer = value_string (c);
        }
      else if (strcmp (c->field, "minutes") == 0)
        value_int (c, minutes);
      else if (strcmp (c->field, "reverses") == 0)
        {
          g_free (*reverses);
          *reverses = value_string (c);
        }
    }
}

/* The value this push gives a field of a record (its last, in the
 * device's order), or NULL. */
static char *
push_value_string (Push       *push,
                   const char *record,
                   const char *field)
{
  GArray *mine = g_hash_table_lookup (push->by_record, record);
  char *value = NULL;

  for (guint k = 0; mine != NULL && k < mine->len; k++)
    {
      const JgChange *c = push->changes->pdata[g_array_index (mine, guint, k)];

      if (strcmp (c->field, field) == 0)
        {
          g_free (value);
          value = value_string (c);
        }
    }
  return value;
}

/* The rubric version a new inspection names in this push (0: none, the
 * newest). */
static gint64
push_rubric_version (Push       *push,
                     const char *record)
{
  GArray *mine = g_hash_table_lookup (push->by_record, record);
  gint64 version = 0;

  for (guint k = 0; mine != NULL && k < mine->len; k++)
    {
      const JgChange *c = push->changes->pdata[g_array_index (mine, guint, k)];

      if (strcmp (c->field, "rubric_version") == 0 && !value_int (c, &version))
        version = 0;
    }
  return version;
}

/* A new inspection is scored with a rubric version the server knows, or
 * not taken at all: decided at its first change, so that none of its
 * fields (the version, the totals) is taken without its scores.  The
 * laptop keeps it quarantined until the server knows the version. */
static gboolean
check_new_inspection (Push            *push,
                      const JgChange  *change,
                      GError         **error)
{
  g_autofree char *rubric_id = push_value_string (push, change->record, "rubric");
  g_autoptr(JgRubric) rubric = jg_rubric_lookup (rubric_id, push_rubric_version (push, change->record), error);

  return rubric != NULL;
}

/* A new designation above village is granted by a higher federation:
 * decided at the record's first change, so that none of a refused one's
 * fields is taken. */
static gboolean
check_new_designation (Push            *push,
                       const JgChange  *change,
                       GError         **error)
{
  g_autofree char *level = push_value_string (push, change->record, "level");

  return jg_rubric_check_granter (level, push->user->role, push->user->org_unit, error);
}

/* A new redemption is decided once, at its first change in the batch, from
 * the volunteer and minutes it carries: the server orders redemptions, so
 * of two laptops spending the same hours only the first to arrive wins. */
static gboolean
check_redemption (Push            *push,
                  const JgChange  *change,
                  GError         **error)
{
  g_autofree char *volunteer = NULL;
  g_autofree char *reverses = NULL;
  gint64 minutes = -1;
  gint64 balance;
  JgLedgerBalance ledger;

  ledger_fields (push, change->record, &volunteer, &minutes, &reverses);
  if (reverses != NULL)   /* a reversal gives minutes back, once */
    return jg_ledger_check_not_reversed (push->store, jg_entity_lookup ("redemption"), reverses,
                                         change->record, FALSE, error);
  if (volunteer == NULL || minutes <= 0)
    {
      jg_set_field_error (error, JG_ERROR_REQUIRED, volunteer ? "minutes" : "volunteer",
                          _("A redemption needs its volunteer and minutes in the same push"));
      return FALSE;
    }
  if (!jg_ledger_balance (push->store, volunteer, &ledger, error))
    return FALSE;
  balance = ledger.available_minutes;
  if (minutes > balance)
    {
      /* Available, not approved: approved minutes already spent or
       * promised to a redemption that came first do not count. */
      jg_set_field_error (error, JG_ERROR_INSUFFICIENT_BALANCE, "minutes",
                          _("Only %" PRId64 " of the volunteer’s %" PRId64 " approved minutes "
                            "are still available; %" PRId64 " cannot be redeemed"),
                          MAX (balance, 0), ledger.earned_minutes, minutes);
      return FALSE;
    }
  return TRUE;
}

/* A new ledger entry's volunteer, reversed entry and activity, as this
 * push gives them, against its unit (jg_ledger_check_references()). */
static gboolean
check_ledger_references (Push            *push,
                         const JgChange  *change,
                         GError         **error)
{
  g_autofree char *volunteer = NULL;
  g_autofree char *reverses = NULL;
  g_autofree char *unit = push_value_string (push, change->record, "org_unit");
  g_autofree char *activity = push_value_string (push, change->record, "activity");
  gint64 minutes = -1;

  ledger_fields (push, change->record, &volunteer, &minutes, &reverses);
  if (volunteer == NULL)
    {
      jg_set_field_error (error, JG_ERROR_REQUIRED, "volunteer",
                          _("A time-bank entry needs its volunteer in the same push"));
      return FALSE;
    }
  return jg_ledger_check_references (push->store, change->entity, unit, volunteer, reverses, activity, error);
}

/* A new reversing service entry takes approved hours back: not when they
 * are already spent (or promised to a pending redemption), or the balance
 * would go below zero.  Decided at the record's first change, like a
 * redemption, in the order the server receives them. */
static gboolean
check_service_reversal (Push            *push,
                        const JgChange  *change,
                        GError         **error)
{
  g_autofree char *reverses = NULL;
  g_autofree char *volunteer = NULL;
  gint64 minutes = -1;

  ledger_fields (push, change->record, &volunteer, &minutes, &reverses);
  if (reverses == NULL)
    return TRUE;
  /* Another laptop's reversal came first: say so, not that the hours
   * are spent. */
  if (!jg_ledger_check_not_reversed (push->store, jg_entity_lookup ("service_entry"), reverses,
                                     change->record, FALSE, error))
    return FALSE;
  return jg_ledger_check_reversal_covered (push->store, volunteer, reverses, minutes, error);
}

/* The rules of one record type that a single change can break: the
 * same functions a local write runs (jg-award.c, jg-rubric.c), asked of
 * the field the change sets. */
static gboolean
check_designation_change (Push            *push,
                          const JgChange  *change,
                          GError         **error)
{
  const JgEntityDef *entity = jg_entity_lookup ("designation");
  g_autofree char *state = stored_text (push->store, entity, change->record, "review_state");
  g_autofree char *value = value_string (change);
  gint64 granted = 0;

  /* Fixed once granted by an earlier write: the grant's own write (its
   * stamp) may still give the plaque number and the dates, as it does on
   * the reviewer's laptop, which judges the state before the write. */
  if (g_strcmp0 (state, "approved") == 0 &&
      !jg_store_field_hlc (push->store, entity, change->record, "review_state", &granted, error))
    return FALSE;
  if (granted != change->hlc && !jg_rubric_check_granted_field (state, change->field, error))
    return FALSE;
  if (strcmp (change->field, "review_state") == 0 && g_strcmp0 (value, "approved") == 0 &&
      g_strcmp0 (state, "approved") != 0)
    {
      g_autofree char *level = stored_text (push->store, entity, change->record, "level");
      g_autofree char *household = stored_text (push->store, entity, change->record, "household");
      g_autofree char *valid_from = stored_text (push->store, entity, change->record, "valid_from");

      return jg_rubric_check_granter (level, push->user->role, push->user->org_unit, error) &&
             jg_rubric_check_level_below (push->store, household, level, valid_from, error);
    }
  return TRUE;
}

/* The value the write that made @change gives @field of the same record
 * (the changes of one local write share its stamp), else the stored one:
 * a step is judged with the dates sent with it, not with later ones.  A
 * value of the write that its own value rules refuse is not one the record
 * will hold: the stored one is used, so that a decision is never judged
 * on a value that is then thrown away. */
static char *
write_or_stored (Push              *push,
                 const JgEntityDef *entity,
                 const JgChange    *change,
                 const char        *field)
{
  GArray *mine = g_hash_table_lookup (push->by_record, change->record);

  for (guint k = 0; mine != NULL && k < mine->len; k++)
    {
      const JgChange *c = push->changes->pdata[g_array_index (mine, guint, k)];

      if (c->hlc == change->hlc && strcmp (c->replica, change->replica) == 0 &&
          strcmp (c->field, field) == 0)
        {
          if (!check_value (push, c, NULL))
            break;
          return value_string (c);
        }
    }
  return stored_text (push->store, entity, change->record, field);
}

/* The ladder of a new award (at its first change, so that none of a
 * refused one's fields is taken) or of one whose level, type or family
 * changes: the rule of jg-award.c, on what the record will hold. */
static gboolean
check_award_ladder (Push            *push,
                    const JgChange  *change,
                    GError         **error)
{
  const JgEntityDef *entity = jg_entity_lookup ("award");
  g_autofree char *award_type = write_or_stored (push, entity, change, "award_type");
  g_autofree char *level = write_or_stored (push, entity, change, "level");
  g_autofree char *household = write_or_stored (push, entity, change, "household");
  g_autofree char *family_name = write_or_stored (push, entity, change, "family_name");

  return jg_award_check_ladder (push->store, change->record, award_type, level,
                                household, family_name, error);
}

/* A step of an award's workflow, judged on the day it was taken (the
 * change's stamp; a stamp ahead of the server was refused already). */
static gboolean
check_award_step (Push            *push,
                  const JgChange  *change,
                  const char      *record_path,
                  const char      *from,
                  const GDate     *day,
                  GError         **error)
{
  const JgEntityDef *entity = jg_entity_lookup ("award");
  g_autofree char *to = value_string (change);

  if (g_strcmp0 (from, to) == 0)
    return TRUE;
  if (!jg_award_can_transition (from, to, error))
    return FALSE;
  if (jg_award_step_is_decision (from, to))
    {
      g_autofree char *level = write_or_stored (push, entity, change, "level");

      if (!jg_award_check_decider (push->user->role, push->user->path, record_path, level, "state", error))
        return FALSE;
    }
  if (g_strcmp0 (to, "public_notice") == 0)
    {
      g_autofree char *household = write_or_stored (push, entity, change, "household");
      g_autofree char *start = write_or_stored (push, entity, change, "notice_start");
      g_autofree char *end = write_or_stored (push, entity, change, "notice_end");

      return jg_award_check_consent (push->store, household, error) &&
             jg_award_check_notice (start, end, day, TRUE, error);
    }
  if (g_strcmp0 (to, "awarded") == 0)
    {
      /* The notice as it stands: dates sent with the grant are refused
       * on their own (the award is no longer on notice). */
      g_autofree char *end = stored_text (push->store, entity, change->record, "notice_end");
      g_autofree char *certificate = write_or_stored (push, entity, change, "certificate_no");

      return jg_award_check_grant (end, certificate, day, error);
    }
  if (g_strcmp0 (to, "declined") == 0)
    {
      g_autofree char *reason = write_or_stored (push, entity, change, "decline_reason");

      if (jg_validate_text_is_blank (reason))
        {
          jg_set_field_error (error, JG_ERROR_REQUIRED, "decline_reason",
                              _("Say why the nomination is declined"));
          return FALSE;
        }
    }
  return TRUE;
}

/* The notice dates: set while the award is on notice, by whoever may
 * put it there, never cut short or moved into the past. */
static gboolean
check_award_notice_date (Push            *push,
                         const JgChange  *change,
                         const char      *record_path,
                         const char      *state,
                         const GDate     *day,
                         GError         **error)
{
  const JgEntityDef *entity = jg_entity_lookup ("award");
  gboolean is_start = strcmp (change->field, "notice_start") == 0;
  g_autofree char *value = value_string (change);
  g_autofree char *stored = stored_text (push->store, entity, change->record, change->field);
  g_autofree char *other = NULL;

  if (g_strcmp0 (value, stored) == 0)
    return TRUE;
  {
    g_autofree char *level = write_or_stored (push, entity, change, "level");

    if (!jg_award_check_decider (push->user->role, push->user->path, record_path, level, change->field, error))
      return FALSE;
  }
  if (g_strcmp0 (state, "public_notice") != 0)
    {
      jg_set_field_error (error, JG_ERROR_TRANSITION, change->field,
                          _("The notice dates are set while the award is on public notice"));
      return FALSE;
    }
  other = write_or_stored (push, entity, change, is_start ? "notice_end" : "notice_start");
  return jg_award_check_notice (is_start ? value : other, is_start ? other : value, day, is_start, error);
}

/* The award rules (jg-award.h) on one change: the same functions a local
 * write runs. */
static gboolean
check_award_change (Push            *push,
                    const JgChange  *change,
                    const char      *record_path,
                    gboolean         is_first,
                    GError         **error)
{
  g_autofree char *state = stored_text (push->store, jg_entity_lookup ("award"), change->record, "state");
  GDate day;

  jg_award_day_of (jg_hlc_ms (change->hlc), &day);
  if (strcmp (change->field, "state") == 0)
    return check_award_step (push, change, record_path, state, &day, error);
  if (jg_award_field_is_decided (change->field))
    return check_award_notice_date (push, change, record_path, state, &day, error);
  if (!is_first &&
      (strcmp (change->field, "level") == 0 || strcmp (change->field, "award_type") == 0 ||
       strcmp (change->field, "household") == 0 || strcmp (change->field, "family_name") == 0))
    return check_award_ladder (push, change, error);
  return TRUE;
}

/* The key in refused_records of one write (a record's changes with one
 * stamp), beside whole records refused under their id. */
static char *
write_key (const JgChange *change)
{
  return g_strdup_printf ("%s|%" PRId64, change->record, change->hlc);
}

/* Like write_or_stored(), as a JSON node of @field's type (NULL when the
 * record has no value). */
static JsonNode *
write_or_stored_node (Push              *push,
                      const JgEntityDef *entity,
                      const JgChange    *change,
                      const char        *field)
{
  const JgFieldDef *def = jg_entity_field (entity, field, NULL);
  GArray *mine = g_hash_table_lookup (push->by_record, change->record);
  g_autofree char *stored = NULL;
  JsonNode *node;

  for (guint k = 0; mine != NULL && k < mine->len; k++)
    {
      const JgChange *c = push->changes->pdata[g_array_index (mine, guint, k)];

      if (c->hlc == change->hlc && strcmp (c->replica, change->replica) == 0 &&
          strcmp (c->field, field) == 0)
        {
          if (!check_value (push, c, NULL))
            break;   /* refused: the stored value stands */
          return jg_json_parse (c->value, -1, NULL);
        }
    }
  stored = stored_text (push->store, entity, change->record, field);
  if (stored == NULL || def == NULL)
    return NULL;
  if (def->type == JG_FIELD_STRLIST || def->type == JG_FIELD_OBJECT ||
      def->type == JG_FIELD_INT || def->type == JG_FIELD_REAL)
    return jg_json_parse (stored, -1, NULL);
  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (node, stored);
  return node;
}

/* An inspection going to review has what a reviewer needs (the rule of
 * jg-rubric.c), judged on the record as stored with the changes of the
 * same write, which may come after this one in the push. */
static gboolean
check_inspection_submit (Push            *push,
                         const JgChange  *change,
                         GError         **error)
{
  static const char * const inputs[] = {
    "inspectors", "item_scores", "veto_hits", "rectify_by", "rubric", "rubric_version", NULL
  };
  const JgEntityDef *entity = jg_entity_lookup ("inspection");
  g_autofree char *to = value_string (change);
  g_autofree char *from = stored_text (push->store, entity, change->record, "review_state");
  g_autoptr(JsonObject) record = NULL;

  if (g_strcmp0 (to, "submitted") != 0 || g_strcmp0 (from, "submitted") == 0)
    return TRUE;
  record = json_object_new ();
  for (guint i = 0; inputs[i]; i++)
    {
      JsonNode *node = write_or_stored_node (push, entity, change, inputs[i]);

      if (node != NULL)
        json_object_set_member (record, inputs[i], node);
    }
  return jg_rubric_check_submit (record, error);
}

static gboolean
check_record_rules (Push            *push,
                    const JgChange  *change,
                    const char      *record_path,
                    gboolean         is_first,
                    GError         **error)
{
  if (strcmp (change->entity, "award") == 0)
    return check_award_change (push, change, record_path, is_first, error);
  if (strcmp (change->entity, "household") == 0 &&
      strcmp (change->field, "publicity_consent") == 0 &&
      strcmp (change->value, "true") != 0 &&
      !jg_award_check_consent_withdrawal (push->store, change->record, error))
    {
      /* The rest of the write goes with it: a withdrawal clears the time
       * consent was given (consent_at), which must stay while it stands. */
      g_hash_table_insert (push->refused_records, write_key (change), g_error_copy (*error));
      return FALSE;
    }
  if (strcmp (change->entity, "designation") == 0)
    return check_designation_change (push, change, error);
  if (strcmp (change->entity, "inspection") == 0 &&
      strcmp (change->field, "review_state") == 0)
    return check_inspection_submit (push, change, error);
  return TRUE;
}

/* A redemption's decision is its write: the reason, the approval and the
 * status a reviewer sends together.  When the status step is refused
 * (another reviewer's decision reached the server first), the rest of the
 * write goes with it, whatever the order its changes come in: an accepted
 * redemption never carries a rejection's reason. */
static gboolean
check_redemption_decision (Push            *push,
                           const JgChange  *change,
                           GError         **error)
{
  const JgEntityDef *entity = jg_entity_lookup ("redemption");
  GArray *mine = g_hash_table_lookup (push->by_record, change->record);
  g_autofree char *status = NULL;
  g_autofree char *stored = NULL;
  gboolean found = FALSE;

  for (guint k = 0; mine != NULL && k < mine->len; k++)
    {
      const JgChange *c = push->changes->pdata[g_array_index (mine, guint, k)];

      if (c->hlc == change->hlc && strcmp (c->replica, change->replica) == 0 &&
          strcmp (c->field, "status") == 0)
        {
          g_free (status);
          status = value_string (c);
          found = TRUE;
        }
    }
  if (!found)
    return TRUE;
  stored = stored_text (push->store, entity, change->record, "status");
  if (jg_ledger_check_status_step (stored, status, error) &&
      (status == NULL || strcmp (status, "pending") == 0 || g_strcmp0 (stored, status) == 0 ||
       jg_ledger_check_decider (push->user->role, error)))
    return TRUE;
  g_hash_table_insert (push->refused_records, write_key (change), g_error_copy (*error));
  return FALSE;
}

static gboolean
check_change (Push            *push,
              const JgChange  *change,
              GError         **error)
{
  const Scope *scope = push_scope (push, change->record);
  g_autofree char *record_path = NULL;
  GError *refused;
  gboolean is_new;

  /* New = unknown to the server before this batch: its creation fields
   * arrive one change after the other. */
  if (scope == NULL)
    g_hash_table_add (push->born, g_strdup (change->record));
  is_new = g_hash_table_contains (push->born, change->record);

  if (jg_hlc_ms (change->hlc) - push->now_ms > JG_HLC_MAX_DRIFT_MS)
    {
      jg_set_field_error (error, JG_ERROR_CLOCK_SKEW, change->field,
                          _("The change is stamped %" PRId64 " minutes ahead of the server’s clock"),
                          (jg_hlc_ms (change->hlc) - push->now_ms) / 60000);
      return FALSE;
    }

  refused = g_hash_table_lookup (push->refused_records, change->record);
  if (refused == NULL)
    {
      g_autofree char *key = write_key (change);

      refused = g_hash_table_lookup (push->refused_records, key);
    }
  if (refused != NULL)
    {
      jg_set_field_error (error, refused->code, jg_error_get_field (refused), "%s", refused->message);
      return FALSE;
    }

  if (scope != NULL && strcmp (scope->entity, change->entity) != 0)
    {
      jg_set_field_error (error, JG_ERROR_INVALID, "entity",
                          _("Record %s is a %s, not a %s"), change->record,
                          jg_entity_label (scope->entity), jg_entity_label (change->entity));
      return FALSE;
    }

  if (strcmp (change->field, "org_unit") == 0)
    {
      g_autofree char *code = value_string (change);

      record_path = push_unit_path (push, code);
      if (record_path == NULL)
        {
          jg_set_field_error (error, JG_ERROR_NOT_ALLOWED_VALUE, "org_unit",
                              _("Unknown org unit “%s”"), code ? code : "");
          return FALSE;
        }
      if (!path_within (record_path, push->user->path))
        {
          jg_set_field_error (error, JG_ERROR_OUT_OF_SCOPE, "org_unit",
                              _("Org unit %s is outside your area"), code);
          return FALSE;
        }
      if (scope != NULL && !path_within (scope->path, push->user->path))
        {
          jg_set_field_error (error, JG_ERROR_OUT_OF_SCOPE, "org_unit",
                              _("This record belongs to %s, outside your area"), scope->org_unit);
          return FALSE;
        }
    }
  else
    {
      if (scope == NULL)
        {
          jg_set_field_error (error, JG_ERROR_OUT_OF_SCOPE, "org_unit",
                              _("The record’s org unit is not known; it must be sent first"));
          return FALSE;
        }
      if (!path_within (scope->path, push->user->path))
        {
          jg_set_field_error (error, JG_ERROR_OUT_OF_SCOPE, "org_unit",
                              _("This record belongs to %s, outside your area"), scope->org_unit);
          return FALSE;
        }
      record_path = g_strdup (scope->path);
    }

  if (scope != NULL && strcmp (change->entity, "redemption") == 0 &&
      !check_redemption_decision (push, change, error))
    return FALSE;

  if (!check_role (push, change, record_path, is_new, error) ||
      !check_value (push, change, error) ||
      !check_record_rules (push, change, record_path, scope == NULL, error))
    return FALSE;

  /* What a new ledger entry names lies in its unit (the laptop's rule):
   * hours are earned and spent in the volunteer's own village.  Decided at
   * the record's first change, so that none of a refused one's fields is
   * taken. */
  if (scope == NULL && jg_entity_lookup (change->entity)->ledger)
    {
      g_autoptr(GError) local_error = NULL;

      if (!check_ledger_references (push, change, &local_error))
        {
          g_hash_table_insert (push->refused_records, g_strdup (change->record), g_error_copy (local_error));
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  /* Decided at the record's first change, before it counts in the balance. */
  if (scope == NULL && strcmp (change->entity, "service_entry") == 0)
    {
      g_autoptr(GError) local_error = NULL;

      if (!check_service_reversal (push, change, &local_error))
        {
          g_hash_table_insert (push->refused_records, g_strdup (change->record), g_error_copy (local_error));
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  if (scope == NULL && strcmp (change->entity, "inspection") == 0)
    {
      g_autoptr(GError) local_error = NULL;

      if (!check_new_inspection (push, change, &local_error))
        {
          g_hash_table_insert (push->refused_records, g_strdup (change->record), g_error_copy (local_error));
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  if (scope == NULL && strcmp (change->entity, "award") == 0)
    {
      g_autoptr(GError) local_error = NULL;

      if (!check_award_ladder (push, change, &local_error))
        {
          g_hash_table_insert (push->refused_records, g_strdup (change->record), g_error_copy (local_error));
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  if (scope == NULL && strcmp (change->entity, "designation") == 0)
    {
      g_autoptr(GError) local_error = NULL;

      if (!check_new_designation (push, change, &local_error))
        {
          g_hash_table_insert (push->refused_records, g_strdup (change->record), g_error_copy (local_error));
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  if (scope == NULL && strcmp (change->entity, "redemption") == 0)
    {
      g_autoptr(GError) local_error = NULL;

      if (!check_redemption (push, change, &local_error))
        {
          /* Every other field of the record is refused with it. */
          g_hash_table_insert (push->refused_records, g_strdup (change->record),
                               g_error_copy (local_error));
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- push and pull ---------------------------------------------------------- */

/* The highest counter of @replica in the log (0: none): a change above it
 * cannot be a duplicate. */
static gint64
last_counter (JgStore    *store,
              const char *replica)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                             "SELECT max (c.counter) FROM change_entry c "
                                             "JOIN replica r ON r.idx = c.replica_idx WHERE r.replica_id = ?", NULL);

  if (stmt == NULL)
    return G_MAXINT64;
  sqlite3_bind_text (stmt, 1, replica, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : G_MAXINT64;
}

static gint64
lookup_seq (JgStore    *store,
            const char *replica,
            gint64      counter)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                             "SELECT c.seq FROM change_entry c JOIN replica r ON r.idx = c.replica_idx "
                                             "WHERE r.replica_id = ? AND c.counter = ?", NULL);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, replica, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, counter);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

/* Whether the change stored at @seq is @change: the same record, field and
 * value (a created_at, like the stamp, may have been stamped again after a
 * clock correction).  FALSE with @error when it is another change. */
static gboolean
same_as_stored (JgStore         *store,
                gint64           seq,
                const JgChange  *change,
                GError         **error)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                             "SELECT record, field, value FROM change_entry WHERE seq = ?", NULL);
  g_autofree char *record = NULL;

  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_int64 (stmt, 1, seq);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return TRUE;
  record = jg_store_column_record (stmt, 0);
  if (g_strcmp0 (record, change->record) == 0 &&
      sqlite3_column_int64 (stmt, 1) == jg_store_field_code (store, change->entity, change->field) &&
      (strcmp (change->field, "created_at") == 0 || g_strcmp0 (jg_stmt_text (stmt, 2), change->value) == 0))
    return TRUE;
  jg_set_field_error (error, JG_ERROR_CONFLICT, change->field,
                      _("The server already holds a different change numbered %s:%" PRId64 "; this device’s "
                        "change numbers went back (was its store restored from a backup?); this change "
                        "was not stored"),
                      change->replica, change->counter);
  return FALSE;
}

/* What the server says of one pushed change, written in the device's
 * order once the whole batch is judged. */
typedef struct
{
  char       *replica;
  gint64      counter;
  const char *status;
  gint64      server_seq;
  GError     *error;
  gboolean     has_current;   /* a rejection: the field as the server holds it */
  JgFieldState current;
} Result;

static void
result_clear (gpointer data)
{
  Result *r = data;

  g_free (r->replica);
  g_clear_error (&r->error);
  jg_field_state_clear (&r->current);
}

static void
result_set (Result       *r,
            const char   *replica,
            gint64        counter,
            const char   *status,
            gint64        server_seq,
            const GError *error)
{
  r->replica = g_strdup (replica ? replica : "");
  r->counter = counter;
  r->status = status;
  r->server_seq = server_seq;
  r->error = error ? g_error_copy (error) : NULL;
}

/* Whether @next continues the run of acknowledgements @r begins, @count
 * long: the same replica and status, the next counter, the next seq. */
static gboolean
result_continues (const Result *r,
                  guint         count,
                  const Result *next)
{
  return r->error == NULL && next->error == NULL && r->server_seq > 0 &&
         strcmp (r->status, "rejected") != 0 && strcmp (r->status, next->status) == 0 &&
         strcmp (r->replica, next->replica) == 0 &&
         next->counter == r->counter + count && next->server_seq == r->server_seq + count;
}

/* One result, or with @count above 1 a run: the changes n … n + count - 1
 * of the replica, all accepted (or all duplicates) with the server_seqs
 * server_seq … server_seq + count - 1. */
static void
result_write (const Result *r,
              guint         count,
              JgJsonWriter *b)
{
  jg_json_writer_begin_object (b);
  jg_json_writer_member (b, "replica");
  jg_json_writer_string (b, r->replica);
  jg_json_writer_member (b, "n");
  jg_json_writer_int (b, r->counter);
  if (count > 1)
    {
      jg_json_writer_member (b, "count");
      jg_json_writer_int (b, count);
    }
  jg_json_writer_member (b, "status");
  jg_json_writer_string (b, r->status);
  if (r->server_seq > 0)
    {
      jg_json_writer_member (b, "server_seq");
      jg_json_writer_int (b, r->server_seq);
    }
  if (r->error != NULL)
    {
      g_autofree char *message = g_utf8_make_valid (r->error->message, -1);

      jg_json_writer_member (b, "code");
      jg_json_writer_string (b, jg_error_code_name (r->error->domain == JG_ERROR ? r->error->code
                                                                                  : JG_ERROR_FAILED));
      jg_json_writer_member (b, "message");
      jg_json_writer_string (b, message);
      jg_json_writer_member (b, "field");
      jg_json_writer_string (b, jg_error_get_field (r->error));
    }
  if (r->has_current)
    {
      jg_json_writer_member (b, "current");
      jg_json_writer_begin_object (b);
      jg_json_writer_member (b, "value");
      jg_json_writer_raw (b, r->current.value);
      jg_json_writer_member (b, "hlc");
      jg_json_writer_int (b, r->current.hlc);
      if (r->current.hlc > 0)
        {
          jg_json_writer_member (b, "base");
          jg_json_writer_int (b, r->current.base);
          jg_json_writer_member (b, "rbase");
          jg_json_writer_int (b, r->current.rbase);
          jg_json_writer_member (b, "replica");
          jg_json_writer_string (b, r->current.replica);
        }
      jg_json_writer_end_object (b);
    }
  jg_json_writer_end_object (b);
}

/* A rejected change's field as the server holds it after the push, for a
 * record the server has in the caller's area (protocol.md "Push rules"):
 * the device takes it as the field's version instead of its refused one,
 * even when it has no other version of the field (a record it received in
 * a snapshot).  Not for a number used again: that change goes out again
 * under a new replica id. */
static gboolean
result_add_current (JgStore       *store,
                    JgServerUser  *user,
                    const JgChange *change,
                    Result        *r,
                    GError       **error)
{
  const JgEntityDef *entity;
  g_autoptr(Scope) scope = NULL;
  gboolean found = FALSE;

  if (change == NULL || r->error == NULL ||
      g_error_matches (r->error, JG_ERROR, JG_ERROR_CONFLICT) ||
      (entity = jg_entity_lookup (change->entity)) == NULL ||
      jg_entity_field_index (entity, change->field) < 0)
    return TRUE;
  scope = scope_lookup (store, change->record);
  if (scope == NULL || g_strcmp0 (scope->entity, change->entity) != 0 ||
      !path_within (scope->path, user->path))
    return TRUE;
  if (!jg_store_field_state (store, change->entity, change->record, change->field, &found, &r->current, error))
    return FALSE;
  r->has_current = found;
  return TRUE;
}

static gboolean
push_changes (JgStore       *store,
              JgServerUser  *user,
              const char    *replica,
              GPtrArray     *changes,
              GPtrArray     *parse_errors,
              GPtrArray     *refused_ids,
              gboolean       result_runs,
              JgJsonWriter  *b,
              GError       **error)
{
  g_autoptr(GHashTable) refused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) g_error_free);
  g_autoptr(GHashTable) born = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) unit_paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) by_record = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                           (GDestroyNotify) g_array_unref);
  Push push = { store, user, changes, refused, born, now_ms (), NULL, NULL, unit_paths, by_record };
  gint64 stored_max;
  gboolean renumbered = FALSE;   /* a change of this push used a stored number again */
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) results = g_array_new (FALSE, TRUE, sizeof (Result));
  guint n = changes->len;

  for (guint i = 0; i < n; i++)
    {
      JgChange *change = changes->pdata[i];

      if (change != NULL && strcmp (change->replica, replica) != 0)
        {
          jg_set_field_error ((GError **) &parse_errors->pdata[i], JG_ERROR_PERMISSION, "replica",
                              _("A device may only push its own changes"));
          /* Answered with the replica and n it gave. */
          g_clear_pointer (&refused_ids->pdata[i], jg_change_free);
          refused_ids->pdata[i] = g_steal_pointer (&changes->pdata[i]);
        }
    }

  g_array_set_clear_func (results, result_clear);
  g_array_set_size (results, n);
  if (!jg_store_begin (store, error))
    return FALSE;
  stored_max = last_counter (store, replica);

  /* Each record's changes, in the device's order. */
  for (guint j = 0; j < n; j++)
    {
      JgChange *u = changes->pdata[j];
      GArray *list;

      if (u == NULL)
        continue;
      list = g_hash_table_lookup (by_record, u->record);
      if (list == NULL)
        {
          list = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (by_record, u->record, list);
        }
      g_array_append_val (list, j);
    }

  /* The device's order, which is the order the changes were made in (an
   * approval before the redemption it pays for), except that a record's
   * unit comes just before the record's first change: the other fields of
   * a new record are checked against it, wherever the device put it. */
  {
    /* A record is "introduced" at its first change, which its unit
     * changes all follow or are. */
    g_autoptr(GHashTable) introduced = g_hash_table_new (g_str_hash, g_str_equal);
    g_autofree gboolean *placed = g_new0 (gboolean, n);

    for (guint k = 0; k < n; k++)
      {
        JgChange *c = changes->pdata[k];

        if (placed[k])
          continue;
        if (c != NULL && !g_hash_table_contains (introduced, c->record))
          {
            GArray *list = g_hash_table_lookup (by_record, c->record);

            g_hash_table_add (introduced, c->record);
            for (guint i = 0; list != NULL && i < list->len; i++)
              {
                guint j = g_array_index (list, guint, i);

                if (strcmp (((JgChange *) changes->pdata[j])->field, "org_unit") != 0)
                  continue;
                g_array_append_val (order, j);
                placed[j] = TRUE;
              }
          }
        if (!placed[k])
          {
            g_array_append_val (order, k);
            placed[k] = TRUE;
          }
      }
  }

  for (guint k = 0; k < n; k++)
    {
      guint i = g_array_index (order, guint, k);
      JgChange *change = changes->pdata[i];
      g_autoptr(GError) local_error = NULL;
      gint64 seq;

      if (change == NULL)
        {
          const JgChange *id = refused_ids->pdata[i];

          result_set (&g_array_index (results, Result, i), id ? id->replica : NULL,
                      id ? id->counter : 0, "rejected", 0, parse_errors->pdata[i]);
          continue;
        }

      /* After a number used again, the rest of the device's changes wait
       * for the new replica id it takes (protocol.md "Fork"): taken under
       * the old one, they would pass for the other copy's and hide their
       * conflicts with it. */
      if (renumbered)
        {
          jg_set_field_error (&local_error, JG_ERROR_CONFLICT, change->field,
                              _("Sent after a change whose number this device used again; it is sent again "
                                "under the device’s new replica id"));
          result_set (&g_array_index (results, Result, i), change->replica, change->counter, "rejected", 0,
                      local_error);
          continue;
        }

      /* Checks read rows with SQL: only this record's may be unsaved. */
      if (!jg_store_batch_holds (store, change->record) && !jg_store_batch_flush (store, error))
        goto fail;

      /* Only a counter up to the highest stored can be a duplicate: a
       * first upload looks none up. */
      seq = change->counter <= stored_max ? lookup_seq (store, change->replica, change->counter) : 0;
      if (seq > 0)
        {
          /* Sent again (an answer lost on the way), or a different change
           * under the same id: a device restored from a backup numbers
           * its new changes from where the backup was, and anybody could
           * claim another device's ids.  Never taken for the first. */
          if (!same_as_stored (store, seq, change, &local_error))
            {
              renumbered = TRUE;
              result_set (&g_array_index (results, Result, i), change->replica, change->counter, "rejected", 0,
                          local_error);
              continue;
            }
          result_set (&g_array_index (results, Result, i), change->replica, change->counter, "duplicate", seq, NULL);
          continue;
        }

      /* The server records who pushed it, whatever the device wrote. */
      g_free (change->author);
      change->author = g_strdup (user->username);

      if (!check_change (&push, change, &local_error))
        {
          result_set (&g_array_index (results, Result, i), change->replica, change->counter, "rejected", 0,
                      local_error);
          continue;
        }

      if (!jg_store_batch_apply (store, change, &seq, error))
        goto fail;
      if (strcmp (change->field, "org_unit") == 0)
        {
          push_forget_scope (&push);
          if (!jg_store_batch_flush (store, error) || !scope_refresh (&push, change, error))
            goto fail;
        }
      if (seq == 0)
        {
          /* The log held it after all (never, with stored_max right). */
          result_set (&g_array_index (results, Result, i), change->replica, change->counter, "duplicate",
                      lookup_seq (store, change->replica, change->counter), NULL);
          continue;
        }
      stored_max = MAX (stored_max, change->counter);
      result_set (&g_array_index (results, Result, i), change->replica, change->counter, "accepted", seq, NULL);
    }
  /* What the refused changes' fields hold now, every change of the push
   * applied. */
  if (!jg_store_batch_flush (store, error))
    goto fail;
  for (guint i = 0; i < n; i++)
    {
      Result *r = &g_array_index (results, Result, i);

      if (strcmp (r->status, "rejected") == 0 &&
          !result_add_current (store, user, changes->pdata[i], r, error))
        goto fail;
    }
  jg_json_writer_member (b, "results");
  jg_json_writer_begin_array (b);
  for (guint i = 0; i < n;)
    {
      const Result *r = &g_array_index (results, Result, i);
      guint count = 1;

      while (result_runs && i + count < n &&
             result_continues (r, count, &g_array_index (results, Result, i + count)))
        count++;
      result_write (r, count, b);
      i += count;
    }
  jg_json_writer_end_array (b);

  push_forget_scope (&push);
  /* Durable before anybody hears "accepted". */
  return jg_store_commit (store, error);

fail:
  push_forget_scope (&push);
  jg_store_rollback (store);
  return FALSE;
}

/* The records that moved into or out of the caller's subtree between two
 * cursors.  One that left is sent as a removal; one that arrived gets its
 * history from before the move appended to the page's changes (its later
 * changes are in the page already: pull follows the current unit). */
static gboolean
pull_moves (JgStore       *store,
            JgServerUser  *user,
            gint64         cursor,
            gint64         page_end,
            JgJsonWriter  *b,
            GError       **error)
{
  g_autoptr(GHashTable) first_old = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) last_new = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) entities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(JgStmt) stmt = NULL;
  GHashTableIter iter;
  gpointer key, value;
  int rc;

  stmt = jg_store_prepare (store,
                           "SELECT record_id, entity, old_path, new_path FROM record_move "
                           "WHERE seq > ?1 AND seq <= ?2 ORDER BY seq", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, cursor);
  sqlite3_bind_int64 (stmt, 2, page_end);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *record = jg_stmt_text (stmt, 0);

      if (!g_hash_table_contains (first_old, record))
        g_hash_table_insert (first_old, g_strdup (record), g_strdup (jg_stmt_text (stmt, 2)));
      g_hash_table_insert (last_new, g_strdup (record), g_strdup (jg_stmt_text (stmt, 3)));
      g_hash_table_insert (entities, g_strdup (record), g_strdup (jg_stmt_text (stmt, 1)));
    }
  if (rc != SQLITE_DONE)
    return jg_store_sqlite_error (store, error);
  jg_stmt_release (g_steal_pointer (&stmt));

  jg_json_writer_member (b, "removed");
  jg_json_writer_begin_array (b);
  g_hash_table_iter_init (&iter, first_old);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gboolean was_in = path_within (value, user->path);
      gboolean is_in = path_within (g_hash_table_lookup (last_new, key), user->path);

      if (was_in && !is_in)
        {
          jg_json_writer_begin_object (b);
          jg_json_writer_member (b, "entity");
          jg_json_writer_string (b, g_hash_table_lookup (entities, key));
          jg_json_writer_member (b, "record");
          jg_json_writer_string (b, key);
          jg_json_writer_end_object (b);
        }
    }
  jg_json_writer_end_array (b);
  return TRUE;
}

/* The history up to @cursor of the records that moved into the caller's
 * subtree after it: appended to the page's changes. */
static gboolean
pull_arrived_history (JgStore       *store,
                      JgServerUser  *user,
                      gint64         cursor,
                      gint64         page_end,
                      JgJsonWriter  *b,
                      GError       **error)
{
  g_autoptr(JgStmt) stmt = NULL;
  int rc;

  stmt = jg_store_prepare (store,
                           "SELECT " JG_STORE_CHANGE_COLUMNS
                           "FROM change_entry c JOIN replica r ON r.idx = c.replica_idx "
                           "WHERE c.seq <= ?1 AND c.record IN "
                           "  (SELECT jg_uuid_blob (m.record_id) FROM record_move m "
                           "   WHERE m.seq > ?1 AND m.seq <= ?2 "
                           "   AND substr (m.new_path, 1, length (?3)) = ?3 "
                           "   AND substr (m.old_path, 1, length (?3)) != ?3 "
                           "   AND m.seq = (SELECT max (seq) FROM record_move l "
                           "                WHERE l.record_id = m.record_id AND l.seq <= ?2)) "
                           "ORDER BY c.seq", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, cursor);
  sqlite3_bind_int64 (stmt, 2, page_end);
  sqlite3_bind_text (stmt, 3, user->path, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JgChange) c = jg_change_new ();

      if (!jg_store_read_change (store, stmt, c, error))
        return FALSE;
      jg_change_write (c, b);
    }
  if (rc != SQLITE_DONE)
    return jg_store_sqlite_error (store, error);
  return TRUE;
}

static gboolean
pull_changes (JgStore       *store,
              JgServerUser  *user,
              const char    *replica,
              gint64         cursor,
              guint          limit,
              JgJsonWriter  *b,
              GError       **error)
{
  g_autoptr(JgStmt) stmt = NULL;
  gint64 last = cursor;
  gint64 max_seq;
  gint64 page_end;
  guint n = 0;
  gboolean more = FALSE;
  int rc;

  /* One read transaction: the page and the cursor agree. */
  if (!jg_store_exec (store, "BEGIN", error))
    return FALSE;
  max_seq = jg_store_get_last_seq (store);

  stmt = jg_store_prepare (store,
                           "SELECT " JG_STORE_CHANGE_COLUMNS
                           "FROM change_entry c JOIN replica r ON r.idx = c.replica_idx "
                           "JOIN record_scope s ON s.record_id = jg_uuid_text (c.record) "
                           "WHERE c.seq > ?1 AND substr (s.path, 1, length (?2)) = ?2 "
                           "AND r.replica_id != ?3 ORDER BY c.seq LIMIT ?4", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, cursor);
  sqlite3_bind_text (stmt, 2, user->path, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, replica, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, (gint64) limit + 1);

  jg_json_writer_member (b, "changes");
  jg_json_writer_begin_array (b);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JgChange) c = NULL;

      if (n == limit)
        {
          more = TRUE;
          break;
        }
      c = jg_change_new ();
      if (!jg_store_read_change (store, stmt, c, error))
        goto fail;
      last = c->seq;
      jg_change_write (c, b);
      n++;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      jg_store_sqlite_error (store, error);
      goto fail;
    }
  jg_stmt_release (g_steal_pointer (&stmt));

  /* Past everything scanned: changes outside the caller's scope are
   * skipped for good, not scanned again on every sync.  A cursor beyond
   * the newest seq (this store was restored from a backup older than what
   * the device saw) is answered with the newest seq: the device learns
   * that the server is behind it (protocol.md). */
  page_end = more ? last : max_seq;
  if (!pull_arrived_history (store, user, cursor, page_end, b, error))
    goto fail;
  jg_json_writer_end_array (b);
  if (!pull_moves (store, user, cursor, page_end, b, error))
    goto fail;
  jg_store_exec (store, "COMMIT", NULL);

  jg_json_writer_member (b, "cursor");
  jg_json_writer_int (b, page_end);
  jg_json_writer_member (b, "more");
  jg_json_writer_boolean (b, more);
  return TRUE;

fail:
  jg_store_exec (store, "ROLLBACK", NULL);
  return FALSE;
}

/* A new device's first sync (protocol.md "Snapshot"): the current state of
 * the records in the caller's scope, a page at a time, from the position
 * "ENTITY_INDEX:ROWID" the device sent; then its cursor continues from "seq",
 * the newest change when the snapshot began. */
static gboolean
pull_snapshot (JgStore       *store,
               JgServerUser  *user,
               const char    *position,
               guint          limit,
               JgJsonWriter  *b,
               GError       **error)
{
  guint entity_pos = 0, n_entities;
  gint64 after = 0, max_seq;
  char *end = NULL;

  jg_entity_all (&n_entities);
  entity_pos = (guint) g_ascii_strtoull (position, &end, 10);
  if (end == position || *end != ':' || entity_pos > n_entities ||
      (after = g_ascii_strtoll (end + 1, &end, 10)) < 0 || *end != '\0')
    {
      jg_set_field_error (error, JG_ERROR_MALFORMED, "snapshot", _("“snapshot” is not a snapshot position"));
      return FALSE;
    }

  /* One read transaction: the page and its "seq" agree. */
  if (!jg_store_exec (store, "BEGIN", error))
    return FALSE;
  max_seq = jg_store_get_last_seq (store);
  if (!jg_store_snapshot_page (store, user->path, &entity_pos, &after, limit, b, error) ||
      /* The last page: the conflicts recorded for those records, too. */
      (entity_pos >= n_entities && !jg_store_snapshot_conflicts (store, user->path, b, error)))
    {
      jg_store_exec (store, "ROLLBACK", NULL);
      return FALSE;
    }
  jg_store_exec (store, "COMMIT", NULL);

  jg_json_writer_member (b, "changes");
  jg_json_writer_begin_array (b);
  jg_json_writer_end_array (b);
  jg_json_writer_member (b, "snapshot");
  jg_json_writer_begin_object (b);
  jg_json_writer_member (b, "next");
  if (entity_pos < n_entities)
    {
      g_autofree char *next = g_strdup_printf ("%u:%" PRId64, entity_pos, after);

      jg_json_writer_string (b, next);
    }
  else
    jg_json_writer_null (b);
  jg_json_writer_member (b, "seq");
  jg_json_writer_int (b, max_seq);
  jg_json_writer_end_object (b);
  jg_json_writer_member (b, "cursor");
  jg_json_writer_int (b, 0);
  jg_json_writer_member (b, "more");
  jg_json_writer_boolean (b, TRUE);
  return TRUE;
}

/* Changes are known by (replica, n): a device speaking for another replica
 * could make that replica's own changes "duplicates", or force it to fork.
 * A token is the replica's it was issued to; one issued without a replica
 * becomes the replica's it first syncs as, unless that replica is another
 * user's device (another user's token holds it, or its changes are another
 * user's). */
static gboolean
check_replica (JgStore       *store,
               JgServerUser  *user,
               const char    *replica,
               GError       **error)
{
  g_autoptr(JgStmt) stmt = NULL;

  if (user->replica != NULL)
    {
      if (strcmp (user->replica, replica) == 0)
        return TRUE;
      jg_set_field_error (error, JG_ERROR_PERMISSION, "replica",
                          _("This device signed in as another replica; sign in again"));
      return FALSE;
    }
  stmt = jg_store_prepare (store,
                           "SELECT 1 FROM device_token WHERE replica = ?1 AND username <> ?2"
                           " UNION ALL SELECT 1 FROM change_entry c JOIN replica r ON r.idx = c.replica_idx"
                           "   WHERE r.replica_id = ?1 AND c.author IS NOT ?2 LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, replica, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, user->username, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      jg_set_field_error (error, JG_ERROR_PERMISSION, "replica",
                          _("The replica %s is another user’s device; sign in on this device "
                            "with its own replica id"), replica);
      return FALSE;
    }
  jg_stmt_release (g_steal_pointer (&stmt));
  stmt = jg_store_prepare (store,
                           "UPDATE device_token SET replica = ? WHERE token_hash = ? AND replica IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, replica, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, user->token_hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return jg_store_sqlite_error (store, error);
  user->replica = g_strdup (replica);
  return TRUE;
}

/* The store's history id (protocol.md "A server restored from a backup"):
 * made when a store is first served, and made anew when the store served
 * is a copy made by `jinguo-server backup` (its "backup_of" names the
 * history it was copied from): the devices then know that the server may
 * have lost what it acknowledged after the copy, and send and pull again. */
gboolean
jg_server_backend_open_history (JgStore  *store,
                                GError  **error)
{
  g_autofree char *history = jg_store_dup_meta (store, "history");
  g_autofree char *backup_of = jg_store_dup_meta (store, "backup_of");
  g_autofree char *fresh = NULL;

  if (history != NULL && g_strcmp0 (history, backup_of) != 0)
    return TRUE;
  fresh = jg_replica_id_new ();
  return jg_store_set_meta (store, "history", fresh, error);
}

/* The reply to a sync request, as JSON text (the pages are large: no node
 * tree is built for them). */
char *
jg_server_backend_sync (JgStore       *store,
                        JgServerUser  *user,
                        JgSyncRequest *req,
                        gsize         *length,
                        GError       **error)
{
  g_autoptr(JgJsonWriter) b = jg_json_writer_new ();
  GPtrArray *changes;
  const char *replica;
  const char *snapshot;
  gint64 cursor, limit, last_n;

  if (!jg_server_sync_request_check (req, error) ||
      !check_replica (store, user, req->replica, error))
    return NULL;
  if (!jg_server_sync_request_check_snapshot (req, error))
    return NULL;
  changes = req->changes;
  replica = req->replica;
  snapshot = req->snapshot;
  cursor = req->cursor;
  limit = req->limit;

  jg_json_writer_begin_object (b);
  if (changes != NULL)
    {
      if (!push_changes (store, user, replica, changes, req->change_errors, req->refused, req->result_runs, b, error))
        return NULL;
    }
  else
    {
      jg_json_writer_member (b, "results");
      jg_json_writer_begin_array (b);
      jg_json_writer_end_array (b);
    }
  if (limit > 0 && snapshot != NULL && cursor == 0)
    {
      if (!pull_snapshot (store, user, snapshot, (guint) limit, b, error))
        return NULL;
    }
  else if (limit > 0)
    {
      if (!pull_changes (store, user, replica, cursor, (guint) limit, b, error))
        return NULL;
    }
  else
    {
      jg_json_writer_member (b, "changes");
      jg_json_writer_begin_array (b);
      jg_json_writer_end_array (b);
      /* A push only: the cursor stays, unless it is beyond the newest
       * seq (as for a pull). */
      jg_json_writer_member (b, "cursor");
      jg_json_writer_int (b, MIN (cursor, jg_store_get_last_seq (store)));
      jg_json_writer_member (b, "more");
      jg_json_writer_boolean (b, FALSE);
    }
  /* The highest n the server holds of this replica: a device that made
   * fewer changes is a copy of another store's history (protocol.md). */
  last_n = last_counter (store, replica);
  if (last_n != G_MAXINT64)
    {
      jg_json_writer_member (b, "last_n");
      jg_json_writer_int (b, last_n);
    }
  {
    g_autofree char *history = jg_store_dup_meta (store, "history");

    if (history != NULL)
      {
        jg_json_writer_member (b, "history");
        jg_json_writer_string (b, history);
      }
  }
  jg_json_writer_member (b, "max_push");
  jg_json_writer_int (b, JG_SERVER_MAX_BATCH);
  jg_json_writer_member (b, "server_time_ms");
  jg_json_writer_int (b, now_ms ());
  jg_json_writer_end_object (b);
  return jg_json_writer_free_to_text (g_steal_pointer (&b), length);
}

/* ---- fork ------------------------------------------------------------------ */

static gboolean
replica_known (JgStore     *store,
               const char  *replica,
               gboolean    *known,
               GError     **error)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                             "SELECT EXISTS (SELECT 1 FROM replica WHERE replica_id = ?1) "
                                             "OR EXISTS (SELECT 1 FROM device_token WHERE replica = ?1)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, replica, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return jg_store_sqlite_error (store, error);
  *known = sqlite3_column_int (stmt, 0) != 0;
  return TRUE;
}

/* Where the device's pull must start again to receive the changes of
 * @replica above n @after, which were its own until now: just before the
 * first of them.  A fork is called for only when there is one. */
static gboolean
fork_cursor (JgStore     *store,
             const char  *replica,
             gint64       after,
             gint64      *cursor,
             GError     **error)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (store,
                                             "SELECT min (c.seq) FROM change_entry c "
                                             "JOIN replica r ON r.idx = c.replica_idx "
                                             "WHERE r.replica_id = ? AND c.counter > ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, replica, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, after);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return jg_store_sqlite_error (store, error);
  if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    {
      jg_set_field_error (error, JG_ERROR_INVALID, "after",
                          _("The server holds no change of this replica that the device lacks; "
                            "there is nothing to fork"));
      return FALSE;
    }
  *cursor = sqlite3_column_int64 (stmt, 0) - 1;
  return TRUE;
}

/* A device whose replica id another store's history already uses (its
 * store restored from a backup, or copied) goes on as @req->new_replica,
 * an id nobody has used: it gets a token of its own for it (the same user
 * and device; the old token stays valid for the old replica) and the
 * cursor from which its pull brings the old replica's changes it lacks. */
JsonNode *
jg_server_backend_fork (JgStore        *store,
                        JgServerUser   *user,
                        const char     *token,
                        JgForkRequest  *req,
                        GError        **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JgStmt) stmt = NULL;
  g_autofree char *new_token = jg_token_new ();
  g_autofree char *new_sha = token_hash (new_token);
  g_autofree char *old_sha = token_hash (token);
  g_autofree char *created = now_iso ();
  gboolean known = FALSE;
  gint64 cursor = 0;

  if (!check_replica (store, user, req->replica, error))
    return NULL;
  if (!jg_store_begin (store, error))
    return NULL;
  if (!replica_known (store, req->new_replica, &known, error))
    goto fail;
  if (known || strcmp (req->new_replica, req->replica) == 0)
    {
      jg_set_field_error (error, JG_ERROR_CONFLICT, "new_replica",
                          _("The server already knows the replica %s; choose another"), req->new_replica);
      goto fail;
    }
  if (!fork_cursor (store, req->replica, req->after, &cursor, error))
    goto fail;

  stmt = jg_store_prepare (store,
                           "INSERT INTO device_token (token_hash, username, replica, device, created_at) "
                           "SELECT ?1, username, ?2, device, ?3 FROM device_token "
                           "WHERE token_hash = ?4 AND revoked = 0", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, new_sha, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, req->new_replica, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, created, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, old_sha, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      jg_store_sqlite_error (store, error);
      goto fail;
    }
  /* Signed out between the check of the token and now. */
  if (sqlite3_changes (jg_store_get_db (store)) != 1)
    {
      g_set_error (error, JG_SERVER_ERROR, JG_SERVER_ERROR_UNAUTHORIZED, _("Sign in again"));
      goto fail;
    }
  if (!jg_store_commit (store, error))
    return NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "token");
  json_builder_add_string_value (b, new_token);
  json_builder_set_member_name (b, "cursor");
  json_builder_add_int_value (b, cursor);
  json_builder_set_member_name (b, "server_time_ms");
  json_builder_add_int_value (b, now_ms ());
  json_builder_end_object (b);
  return json_builder_get_root (b);

fail:
  jg_store_rollback (store);
  return NULL;
}
