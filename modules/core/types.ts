/**
 * True when A and B accept the same shape: the same fields, required where
 * the other requires them, with the same kinds of values. Literal unions
 * (`"tcp" | "udp"`, service and group names) are compared as their base type,
 * so a props interface may be stricter for TypeScript users than the schema,
 * which checks the values at run time for plain-data configs.
 */
export type Exact<A, B> = [Widened<A>] extends [Widened<B>] ? ([Widened<B>] extends [Widened<A>] ? true : false) : false;

type Widened<T> = T extends string
  ? string
  : T extends number
    ? number
    : T extends boolean
      ? boolean
      : T extends readonly (infer U)[]
        ? Widened<U>[]
        : T extends object
          ? { -readonly [K in keyof T]: Widened<T[K]> }
          : T;
