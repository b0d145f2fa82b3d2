/**
 * GraphQL Code Generator: the types of every GraphQL document in `src/` (written with
 * `graphql()` from `src/gql`), from the schema the server commits (`../schema.graphql`),
 * into `src/gql/`. Only the local schema file is read, never a running server.
 *
 *   npm run codegen          regenerate src/gql after a schema or document change
 *   npm run codegen:check    fail when src/gql is not what codegen would write (part of typecheck)
 */
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: {
        // Results are read where they are asked for; no masked fragment types to unwrap.
        fragmentMasking: false,
      },
      config: {
        useTypeImports: true,
        // Enums as string unions: no runtime objects, and the UI's own string models accept them.
        enumType: "string-literal",
        scalars: {
          DateTime: { input: "string", output: "string" },
          // Properties and event paths: any JSON; narrowed where the UI reads them.
          JSON: { input: "unknown", output: "unknown" },
        },
        strictScalars: true,
      },
    },
  },
};

export default config;
