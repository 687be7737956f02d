FROM stagescope-test/nope:1 AS base
RUN echo hi
