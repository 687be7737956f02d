FROM stagescope-test/busybox:1 AS build
ENV GREETING=hello
WORKDIR /src
COPY hello.txt .
RUN echo "$GREETING from build" && echo line2 >&2 && cp hello.txt /out.txt

FROM scratch
COPY --from=build /out.txt /out.txt
