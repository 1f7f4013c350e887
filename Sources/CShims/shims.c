#define _GNU_SOURCE
#include "CShims.h"
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>
#include <openssl/err.h>

const uint32_t WK_EPOLLIN = EPOLLIN;
const uint32_t WK_EPOLLOUT = EPOLLOUT;
const uint32_t WK_EPOLLERR = EPOLLERR;
const uint32_t WK_EPOLLHUP = EPOLLHUP;
const uint32_t WK_EPOLLRDHUP = EPOLLRDHUP;
const uint32_t WK_EPOLLET = EPOLLET;
const uint32_t WK_EPOLLEXCLUSIVE = EPOLLEXCLUSIVE;

int wk_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int wk_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data) {
    struct epoll_event ev;
    ev.events = events;
    ev.data.u64 = data;
    return epoll_ctl(epfd, op, fd, &ev);
}

int wk_epoll_wait(int epfd, uint64_t *datas, uint32_t *events, int max_events, int timeout_ms) {
    struct epoll_event evs[256];
    if (max_events > 256) max_events = 256;
    int n;
    do { n = epoll_wait(epfd, evs, max_events, timeout_ms); } while (n < 0 && errno == EINTR);
    for (int i = 0; i < n; i++) { datas[i] = evs[i].data.u64; events[i] = evs[i].events; }
    return n;
}

int wk_accept4(int fd) { return accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC); }

int wk_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }
int wk_eventfd_signal(int fd) { uint64_t one = 1; return (int)write(fd, &one, sizeof one); }
int wk_eventfd_drain(int fd) { uint64_t v; return (int)read(fd, &v, sizeof v); }

int wk_set_nonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL, 0);
    if (flags < 0) return -1;
    return fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}
int wk_set_nodelay(int fd) { int one = 1; return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); }
int wk_set_reuseaddr(int fd) { int one = 1; return setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one); }

ssize_t wk_send(int fd, const void *buf, size_t len) { return send(fd, buf, len, MSG_NOSIGNAL); }

ssize_t wk_writev2(int fd, const void *a, size_t alen, const void *b, size_t blen) {
    struct iovec iov[2] = { { (void *)a, alen }, { (void *)b, blen } };
    struct msghdr msg = {0};
    msg.msg_iov = iov;
    msg.msg_iovlen = blen > 0 ? 2 : 1;
    return sendmsg(fd, &msg, MSG_NOSIGNAL);
}

int wk_ssl_ctx_set_min_proto_tls12(SSL_CTX *ctx) {
    return (int)SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
}
long wk_ssl_ctx_set_mode_partial_writes(SSL_CTX *ctx) {
    return SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}
unsigned long wk_err_get_error(void) { return ERR_get_error(); }
int wk_ssl_set_tlsext_host_name(SSL *ssl, const char *name) { return (int)SSL_set_tlsext_host_name(ssl, name); }

CURLcode wk_curl_setopt_long(CURL *h, CURLoption opt, long value) { return curl_easy_setopt(h, opt, value); }
CURLcode wk_curl_setopt_ptr(CURL *h, CURLoption opt, void *value) { return curl_easy_setopt(h, opt, value); }
CURLcode wk_curl_setopt_str(CURL *h, CURLoption opt, const char *value) { return curl_easy_setopt(h, opt, value); }
CURLcode wk_curl_setopt_off(CURL *h, CURLoption opt, curl_off_t value) { return curl_easy_setopt(h, opt, value); }
CURLcode wk_curl_setopt_write_function(CURL *h, wk_curl_data_cb cb) { return curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, cb); }
CURLcode wk_curl_setopt_header_function(CURL *h, wk_curl_data_cb cb) { return curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, cb); }
CURLcode wk_curl_setopt_read_function(CURL *h, wk_curl_data_cb cb) { return curl_easy_setopt(h, CURLOPT_READFUNCTION, cb); }
CURLcode wk_curl_getinfo_long(CURL *h, CURLINFO info, long *out) { return curl_easy_getinfo(h, info, out); }
CURLcode wk_curl_getinfo_double(CURL *h, CURLINFO info, double *out) { return curl_easy_getinfo(h, info, out); }
