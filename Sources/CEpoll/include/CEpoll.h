// epoll and timerfd for the lean load generator (Sources/ArbiterBench): Swift's Glibc module
// does not include these headers. Empty elsewhere than Linux.
#ifndef CEPOLL_H
#define CEPOLL_H
#ifdef __linux__
#include <sys/epoll.h>
#include <sys/timerfd.h>
#endif
#endif
