import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { ClientError, GraphQLClient } from "graphql-request";

/** An API failure as shown to the user: what failed, the error code and the message. */
export class ApiError extends Error {
  constructor(
    readonly what: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/**
 * An answer that does not have the shape the UI reads (e.g. a JSON table missing a column):
 * reported as MALFORMED_ANSWER where it is read, instead of failing later in the drawing.
 */
export class MalformedAnswer extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedAnswer";
  }
}

let client: GraphQLClient | null = null;
function getClient(): GraphQLClient {
  client ??= new GraphQLClient(`${window.location.origin}/graphql`);
  return client;
}

export function toApiError(what: string, e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof ClientError) {
    const err = e.response.errors?.[0];
    if (err) {
      const ext = (err.extensions ?? {}) as { code?: unknown };
      return new ApiError(what, typeof ext.code === "string" ? ext.code : "GRAPHQL_ERROR", err.message);
    }
    return new ApiError(what, `HTTP_${e.response.status}`, `the server answered HTTP ${e.response.status}`);
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new ApiError(what, "NETWORK_ERROR", msg || "the server could not be reached");
}

/**
 * One GraphQL request of a generated document (`graphql()` from `src/gql`): its answer is
 * typed by the document, and failures become ApiError naming `what`.
 */
export async function request<Result, Variables extends Record<string, unknown>>(
  what: string,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
): Promise<Result> {
  try {
    // The variables were checked against the document above; graphql-request's own check
    // of them is a conditional type that a generic `Variables` cannot satisfy.
    return await getClient().request<Result>(document, variables);
  } catch (e) {
    throw toApiError(what, e);
  }
}

/**
 * A request whose answer is turned into the UI's own model by `read`; an answer `read`
 * finds malformed fails like the request itself, as ApiError naming `what`.
 */
export async function requestAs<Result, Variables extends Record<string, unknown>, T>(
  what: string,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
  read: (answer: Result) => T,
): Promise<T> {
  const answer = await request(what, document, variables);
  try {
    return read(answer);
  } catch (e) {
    if (e instanceof MalformedAnswer) throw new ApiError(what, "MALFORMED_ANSWER", e.message);
    throw e;
  }
}
