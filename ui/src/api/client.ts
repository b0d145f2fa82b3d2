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

/** One GraphQL request; failures become ApiError naming `what`. */
export async function gql<T>(what: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  try {
    return await getClient().request<T>(query, variables ?? {});
  } catch (e) {
    throw toApiError(what, e);
  }
}
