// Our own hand-written entry point.
export const answer = 42
