/*
 * kea-ctrl.c - send one command to a Kea control socket, print the answer.
 *
 *     kea-ctrl SOCKET '{"command": "alpxe-reload"}'
 *
 * What socat or kea-shell would do, without either installed: connect to
 * the UNIX socket named in "control-socket", write the JSON, read until
 * Kea closes the connection (it does after each answer) or 10 s pass.
 * Exit status: 0 an answer was read, 1 otherwise.
 */

#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
    struct sockaddr_un sa;
    char buf[65536];
    size_t len, got = 0;
    int fd;

    if (argc != 3) {
        fputs("usage: kea-ctrl SOCKET JSON\n", stderr);
        return 1;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    len = strlen(argv[1]);
    if (len >= sizeof(sa.sun_path)) {
        fputs("kea-ctrl: socket path too long\n", stderr);
        return 1;
    }
    memcpy(sa.sun_path, argv[1], len);      /* NUL from the memset */
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        perror("kea-ctrl: connect");
        return 1;
    }
    len = strlen(argv[2]);
    if (write(fd, argv[2], len) != (ssize_t)len) {
        perror("kea-ctrl: write");
        return 1;
    }
    for (;;) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        ssize_t n;

        if (poll(&pfd, 1, 10000) <= 0)
            break;
        n = read(fd, buf + got, sizeof(buf) - 1 - got);
        if (n <= 0)
            break;
        got += (size_t)n;
        if (got == sizeof(buf) - 1)
            break;
    }
    close(fd);
    buf[got] = '\0';
    puts(buf);
    return got ? 0 : 1;
}
