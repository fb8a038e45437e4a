/* jg-fault-proxy.h: a TCP proxy on 127.0.0.1 that injects network faults
 *
 * Sits between a JgSyncClient and a jinguo-server.  Armed with a fault, it
 * applies it to the next connections it accepts: refuse them, lose the
 * reply after the server has answered, cut the reply after some bytes,
 * delay it, or flip a byte of the request or reply body.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  JG_FAULT_NONE,
  JG_FAULT_REFUSE,          /* close the connection as soon as it is accepted */
  JG_FAULT_DROP_REPLY,      /* forward the request, close when the reply starts */
  JG_FAULT_CUT_REPLY,       /* forward `arg` bytes of the reply stream, then close */
  JG_FAULT_DELAY_REPLY,     /* hold the reply for `arg` milliseconds */
  JG_FAULT_CORRUPT_REPLY,   /* flip a bit of the reply body's byte `arg` */
  JG_FAULT_CORRUPT_REQUEST, /* flip a bit of the request body's byte `arg` */
} JgFault;

typedef struct _JgFaultProxy JgFaultProxy;

JgFaultProxy *jg_fault_proxy_new         (guint          upstream_port);
guint         jg_fault_proxy_get_port    (JgFaultProxy  *proxy);
void          jg_fault_proxy_arm         (JgFaultProxy  *proxy,
                                          JgFault        fault,
                                          gsize          arg,
                                          guint          n_connections);
guint         jg_fault_proxy_get_injected (JgFaultProxy *proxy);
void          jg_fault_proxy_free        (JgFaultProxy  *proxy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JgFaultProxy, jg_fault_proxy_free)

G_END_DECLS
