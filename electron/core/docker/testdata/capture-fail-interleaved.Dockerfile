FROM stagescope-test/busybox:1 AS compile
RUN echo ok
RUN for i in $(seq 1 30); do echo "line $i"; done; echo boom >&2; exit 7
