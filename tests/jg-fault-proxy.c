/* jg-fault-proxy.c: a TCP proxy on 127.0.0.1 that injects network faults
 *
 * One thread accepts; each connection gets a relay thread that polls both
 * sockets with short timeouts, so every loop ends: on close, on a fault,
 * on the proxy being freed, or after 60 s.
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "jg-fault-proxy.h"

#define POLL_MS        100
#define CONN_MAX_US    (60 * G_USEC_PER_SEC)

struct _JgFaultProxy
{
  GSocket   *listener;
  guint      port;
  guint      upstream_port;
  GThread   *accept_thread;
  GPtrArray *relays;          /* GThread */
  gint       stop;            /* atomic */
  gint       injected;        /* atomic */

  GMutex     lock;
  JgFault    fault;
  gsize      arg;
  guint      n_armed;
};

typedef struct
{
  JgFaultProxy *proxy;
  GSocket      *client;
  JgFault       fault;
  gsize         arg;
} Relay;

/* Where a stream's body starts: after the first "\r\n\r\n". */
typedef struct
{
  gsize  offset;       /* bytes of the stream seen so far */
  gssize body_start;   /* -1 until the head has ended */
  guint  matched;      /* how much of "\r\n\r\n" ends what was seen */
} Stream;

static void
stream_scan (Stream       *s,
             const guint8 *buf,
             gsize         len)
{
  static const char crlf2[] = "\r\n\r\n";

  for (gsize i = 0; i < len && s->body_start < 0; i++)
    {
      if (buf[i] == (guint8) crlf2[s->matched])
        s->matched++;
      else
        s->matched = buf[i] == '\r' ? 1 : 0;
      if (s->matched == 4)
        s->body_start = (gssize) (s->offset + i + 1);
    }
}

/* Flips a bit of body byte `arg` if it lies in this chunk. */
static gboolean
stream_corrupt (Stream  *s,
                guint8  *buf,
                gsize    len,
                gsize    arg)
{
  gsize target;

  if (s->body_start < 0)
    return FALSE;
  target = (gsize) s->body_start + arg;
  if (target < s->offset || target >= s->offset + len)
    return FALSE;
  buf[target - s->offset] ^= 0x80;
  return TRUE;
}

static gboolean
send_all (GSocket      *socket,
          const guint8 *buf,
          gsize         len)
{
  while (len > 0)
    {
      gssize n = g_socket_send (socket, (const char *) buf, len, NULL, NULL);

      if (n <= 0)
        return FALSE;
      buf += n;
      len -= (gsize) n;
    }
  return TRUE;
}

static gpointer
relay_run (gpointer data)
{
  Relay *r = data;
  JgFaultProxy *proxy = r->proxy;
  g_autoptr(GSocket) upstream = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  Stream request = { 0, -1, 0 };
  Stream reply = { 0, -1, 0 };
  gint64 deadline = g_get_monotonic_time () + CONN_MAX_US;
  gboolean delayed = FALSE;
  guint8 buf[16384];

  if (r->fault == JG_FAULT_REFUSE)
    {
      g_atomic_int_inc (&proxy->injected);
      goto out;
    }

  upstream = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  address = g_inet_socket_address_new (loopback, (guint16) proxy->upstream_port);
  if (upstream == NULL || !g_socket_connect (upstream, address, NULL, NULL))
    goto out;

  while (!g_atomic_int_get (&proxy->stop) && g_get_monotonic_time () < deadline)
    {
      GPollFD fds[2] = {
        { g_socket_get_fd (r->client), G_IO_IN | G_IO_HUP | G_IO_ERR, 0 },
        { g_socket_get_fd (upstream), G_IO_IN | G_IO_HUP | G_IO_ERR, 0 },
      };

      if (g_poll (fds, 2, POLL_MS) < 0)
        break;

      if (fds[0].revents)
        {
          gssize n = g_socket_receive (r->client, (char *) buf, sizeof buf, NULL, NULL);

          if (n <= 0)
            break;
          stream_scan (&request, buf, (gsize) n);
          if (r->fault == JG_FAULT_CORRUPT_REQUEST && stream_corrupt (&request, buf, (gsize) n, r->arg))
            g_atomic_int_inc (&proxy->injected);
          request.offset += (gsize) n;
          if (!send_all (upstream, buf, (gsize) n))
            break;
        }

      if (fds[1].revents)
        {
          gssize n;

          if (r->fault == JG_FAULT_DROP_REPLY)
            {
              /* The server has done the work; the client never hears. */
              g_atomic_int_inc (&proxy->injected);
              break;
            }
          if (r->fault == JG_FAULT_DELAY_REPLY && !delayed)
            {
              g_usleep (MIN (r->arg, 10000) * 1000);
              delayed = TRUE;
              g_atomic_int_inc (&proxy->injected);
            }
          n = g_socket_receive (upstream, (char *) buf, sizeof buf, NULL, NULL);
          if (n <= 0)
            break;
          stream_scan (&reply, buf, (gsize) n);
          if (r->fault == JG_FAULT_CORRUPT_REPLY && stream_corrupt (&reply, buf, (gsize) n, r->arg))
            g_atomic_int_inc (&proxy->injected);
          if (r->fault == JG_FAULT_CUT_REPLY && reply.offset + (gsize) n >= r->arg)
            {
              send_all (r->client, buf, r->arg - reply.offset);
              g_atomic_int_inc (&proxy->injected);
              break;
            }
          reply.offset += (gsize) n;
          if (!send_all (r->client, buf, (gsize) n))
            break;
        }
    }

out:
  g_socket_close (r->client, NULL);
  if (upstream != NULL)
    g_socket_close (upstream, NULL);
  g_object_unref (r->client);
  g_free (r);
  return NULL;
}

static gpointer
accept_run (gpointer data)
{
  JgFaultProxy *proxy = data;

  while (!g_atomic_int_get (&proxy->stop))
    {
      GSocket *client;
      Relay *r;

      if (!g_socket_condition_timed_wait (proxy->listener, G_IO_IN, POLL_MS * 1000, NULL, NULL))
        continue;
      client = g_socket_accept (proxy->listener, NULL, NULL);
      if (client == NULL)
        continue;
      g_socket_set_blocking (client, TRUE);

      r = g_new0 (Relay, 1);
      r->proxy = proxy;
      r->client = client;
      g_mutex_lock (&proxy->lock);
      if (proxy->n_armed > 0)
        {
          r->fault = proxy->fault;
          r->arg = proxy->arg;
          proxy->n_armed--;
        }
      g_mutex_unlock (&proxy->lock);
      g_ptr_array_add (proxy->relays, g_thread_new ("jg-fault-relay", relay_run, r));
    }
  return NULL;
}

JgFaultProxy *
jg_fault_proxy_new (guint upstream_port)
{
  JgFaultProxy *proxy = g_new0 (JgFaultProxy, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_init (&proxy->lock);
  proxy->upstream_port = upstream_port;
  proxy->relays = g_ptr_array_new ();
  proxy->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (proxy->listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (proxy->listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (proxy->listener, &error);
  g_assert_no_error (error);
  proxy->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  proxy->accept_thread = g_thread_new ("jg-fault-accept", accept_run, proxy);
  return proxy;
}

guint
jg_fault_proxy_get_port (JgFaultProxy *proxy)
{
  return proxy->port;
}

void
jg_fault_proxy_arm (JgFaultProxy *proxy,
                    JgFault       fault,
                    gsize         arg,
                    guint         n_connections)
{
  g_mutex_lock (&proxy->lock);
  proxy->fault = fault;
  proxy->arg = arg;
  proxy->n_armed = n_connections;
  g_mutex_unlock (&proxy->lock);
}

guint
jg_fault_proxy_get_injected (JgFaultProxy *proxy)
{
  return (guint) g_atomic_int_get (&proxy->injected);
}

void
jg_fault_proxy_free (JgFaultProxy *proxy)
{
  if (proxy == NULL)
    return;
  g_atomic_int_set (&proxy->stop, 1);
  g_thread_join (proxy->accept_thread);
  for (guint i = 0; i < proxy->relays->len; i++)
    g_thread_join (proxy->relays->pdata[i]);
  g_ptr_array_unref (proxy->relays);
  g_socket_close (proxy->listener, NULL);
  g_object_unref (proxy->listener);
  g_mutex_clear (&proxy->lock);
  g_free (proxy);
}
