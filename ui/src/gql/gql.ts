/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment DrawnGraph on LineageGraph {\n    table(columns: [NAME, URI, STATE, NEIGHBORS])\n  }\n": typeof types.DrawnGraphFragmentDoc,
    "\n  query Lineage($input: LineageInput!) {\n    lineage(input: $input) {\n      ...DrawnGraph\n    }\n  }\n": typeof types.LineageDocument,
    "\n  query NodeRef($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Artifact {\n        id\n        name\n        typeName\n      }\n      ... on Execution {\n        id\n        name\n        typeName\n      }\n      ... on Context {\n        id\n        name\n        typeName\n      }\n    }\n  }\n": typeof types.NodeRefDocument,
    "\n  fragment DetailedNode on GraphNode {\n    id\n    externalId\n    typeName\n    typeVersion\n    name\n    properties\n    customProperties\n    createdAt\n    updatedAt\n  }\n": typeof types.DetailedNodeFragmentDoc,
    "\n  query NodeDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Artifact {\n        ...DetailedNode\n        uri\n        state\n        events {\n          type\n          artifactId\n          executionId\n          timestamp\n          path\n        }\n        contexts {\n          id\n          name\n          typeName\n        }\n      }\n      ... on Execution {\n        ...DetailedNode\n        executionState: state\n        events {\n          type\n          artifactId\n          executionId\n          timestamp\n          path\n        }\n        contexts {\n          id\n          name\n          typeName\n        }\n      }\n      ... on Context {\n        ...DetailedNode\n      }\n    }\n  }\n": typeof types.NodeDetailDocument,
    "\n  fragment ComparedRun on Execution {\n    id\n    name\n    typeName\n    state\n    properties\n    customProperties\n    createdAt\n  }\n": typeof types.ComparedRunFragmentDoc,
    "\n  query Context($id: ID!) {\n    context(id: $id) {\n      id\n      externalId\n      name\n      typeName\n      properties\n      customProperties\n      createdAt\n      parents {\n        id\n        name\n        typeName\n      }\n      children {\n        id\n        name\n        typeName\n      }\n      executions(first: 200) {\n        totalCount\n        edges {\n          node {\n            ...ComparedRun\n          }\n        }\n      }\n      artifacts(first: 1) {\n        totalCount\n      }\n    }\n  }\n": typeof types.ContextDocument,
    "\n  query ContextGraph($id: ID!) {\n    contextGraph(contextId: $id) {\n      ...DrawnGraph\n    }\n  }\n": typeof types.ContextGraphDocument,
    "\n  query SearchHits($text: String!, $first: Int!) {\n    search(text: $text, first: $first) {\n      id\n      kind\n      typeName\n      name\n      uri\n      externalId\n    }\n  }\n": typeof types.SearchHitsDocument,
    "\n  query TypeCounts {\n    typeCounts {\n      kind\n      typeName\n      count\n    }\n  }\n": typeof types.TypeCountsDocument,
    "\n  query NewestArtifacts($n: Int!) {\n    artifacts(first: $n, orderBy: { field: \"createdAt\", descending: true }) {\n      edges {\n        node {\n          id\n          name\n          typeName\n          uri\n          state\n          createdAt\n        }\n      }\n    }\n  }\n": typeof types.NewestArtifactsDocument,
    "\n  query Impact($ids: [ID!]!) {\n    impact(artifactIds: $ids) {\n      table(columns: [NAME, STATE])\n      contexts {\n        id\n        type\n        name\n        degree\n        direct\n        affectedMembers\n      }\n      countsByKind {\n        kind\n        count\n      }\n      countsByType {\n        kind\n        type\n        count\n      }\n    }\n  }\n": typeof types.ImpactDocument,
    "\n  query Repository($name: String!) {\n    repository(name: $name) {\n      name\n      defaultBranch\n      protectedBranches\n      branches(first: 200) {\n        edges {\n          node {\n            name\n            head\n            protected\n            aheadBehind {\n              ahead\n              behind\n            }\n          }\n        }\n      }\n      tags(first: 200) {\n        edges {\n          node {\n            name\n            target\n          }\n        }\n      }\n    }\n  }\n": typeof types.RepositoryDocument,
    "\n  query RepositoryLog($name: String!, $ref: String!, $path: String, $after: String) {\n    repository(name: $name) {\n      log(ref: $ref, path: $path, first: 50, after: $after) {\n        edges {\n          node {\n            sha\n            message\n            author\n            createdAt\n            generation\n            parents\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.RepositoryLogDocument,
    "\n  query RepositoryDiff($name: String!, $from: String!, $to: String!, $mode: DiffMode!) {\n    repository(name: $name) {\n      diff(from: $from, to: $to, mode: $mode) {\n        base\n        paths(first: 200) {\n          edges {\n            node {\n              path\n              status\n              kindBefore\n              kindAfter\n              counts\n              bytesDelta\n              changes(first: 200) {\n                edges {\n                  node {\n                    key\n                    status\n                    before\n                    after\n                    delta\n                    renamedFrom\n                  }\n                }\n                pageInfo {\n                  hasNextPage\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.RepositoryDiffDocument,
    "\n  query InProduction {\n    inProduction {\n      model\n      alias\n      version\n      commit\n      repository\n      branch\n      branchHead\n      consistent\n      since\n    }\n  }\n": typeof types.InProductionDocument,
    "\n  query AliasHistory($model: String!, $alias: String!) {\n    registeredModel(name: $model) {\n      aliasHistory(alias: $alias, first: 100) {\n        edges {\n          node {\n            id\n            op\n            from\n            to\n            actor\n            at\n            reason\n            promotionId\n          }\n        }\n      }\n    }\n  }\n": typeof types.AliasHistoryDocument,
};
const documents: Documents = {
    "\n  fragment DrawnGraph on LineageGraph {\n    table(columns: [NAME, URI, STATE, NEIGHBORS])\n  }\n": types.DrawnGraphFragmentDoc,
    "\n  query Lineage($input: LineageInput!) {\n    lineage(input: $input) {\n      ...DrawnGraph\n    }\n  }\n": types.LineageDocument,
    "\n  query NodeRef($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Artifact {\n        id\n        name\n        typeName\n      }\n      ... on Execution {\n        id\n        name\n        typeName\n      }\n      ... on Context {\n        id\n        name\n        typeName\n      }\n    }\n  }\n": types.NodeRefDocument,
    "\n  fragment DetailedNode on GraphNode {\n    id\n    externalId\n    typeName\n    typeVersion\n    name\n    properties\n    customProperties\n    createdAt\n    updatedAt\n  }\n": types.DetailedNodeFragmentDoc,
    "\n  query NodeDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Artifact {\n        ...DetailedNode\n        uri\n        state\n        events {\n          type\n          artifactId\n          executionId\n          timestamp\n          path\n        }\n        contexts {\n          id\n          name\n          typeName\n        }\n      }\n      ... on Execution {\n        ...DetailedNode\n        executionState: state\n        events {\n          type\n          artifactId\n          executionId\n          timestamp\n          path\n        }\n        contexts {\n          id\n          name\n          typeName\n        }\n      }\n      ... on Context {\n        ...DetailedNode\n      }\n    }\n  }\n": types.NodeDetailDocument,
    "\n  fragment ComparedRun on Execution {\n    id\n    name\n    typeName\n    state\n    properties\n    customProperties\n    createdAt\n  }\n": types.ComparedRunFragmentDoc,
    "\n  query Context($id: ID!) {\n    context(id: $id) {\n      id\n      externalId\n      name\n      typeName\n      properties\n      customProperties\n      createdAt\n      parents {\n        id\n        name\n        typeName\n      }\n      children {\n        id\n        name\n        typeName\n      }\n      executions(first: 200) {\n        totalCount\n        edges {\n          node {\n            ...ComparedRun\n          }\n        }\n      }\n      artifacts(first: 1) {\n        totalCount\n      }\n    }\n  }\n": types.ContextDocument,
    "\n  query ContextGraph($id: ID!) {\n    contextGraph(contextId: $id) {\n      ...DrawnGraph\n    }\n  }\n": types.ContextGraphDocument,
    "\n  query SearchHits($text: String!, $first: Int!) {\n    search(text: $text, first: $first) {\n      id\n      kind\n      typeName\n      name\n      uri\n      externalId\n    }\n  }\n": types.SearchHitsDocument,
    "\n  query TypeCounts {\n    typeCounts {\n      kind\n      typeName\n      count\n    }\n  }\n": types.TypeCountsDocument,
    "\n  query NewestArtifacts($n: Int!) {\n    artifacts(first: $n, orderBy: { field: \"createdAt\", descending: true }) {\n      edges {\n        node {\n          id\n          name\n          typeName\n          uri\n          state\n          createdAt\n        }\n      }\n    }\n  }\n": types.NewestArtifactsDocument,
    "\n  query Impact($ids: [ID!]!) {\n    impact(artifactIds: $ids) {\n      table(columns: [NAME, STATE])\n      contexts {\n        id\n        type\n        name\n        degree\n        direct\n        affectedMembers\n      }\n      countsByKind {\n        kind\n        count\n      }\n      countsByType {\n        kind\n        type\n        count\n      }\n    }\n  }\n": types.ImpactDocument,
    "\n  query Repository($name: String!) {\n    repository(name: $name) {\n      name\n      defaultBranch\n      protectedBranches\n      branches(first: 200) {\n        edges {\n          node {\n            name\n            head\n            protected\n            aheadBehind {\n              ahead\n              behind\n            }\n          }\n        }\n      }\n      tags(first: 200) {\n        edges {\n          node {\n            name\n            target\n          }\n        }\n      }\n    }\n  }\n": types.RepositoryDocument,
    "\n  query RepositoryLog($name: String!, $ref: String!, $path: String, $after: String) {\n    repository(name: $name) {\n      log(ref: $ref, path: $path, first: 50, after: $after) {\n        edges {\n          node {\n            sha\n            message\n            author\n            createdAt\n            generation\n            parents\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.RepositoryLogDocument,
    "\n  query RepositoryDiff($name: String!, $from: String!, $to: String!, $mode: DiffMode!) {\n    repository(name: $name) {\n      diff(from: $from, to: $to, mode: $mode) {\n        base\n        paths(first: 200) {\n          edges {\n            node {\n              path\n              status\n              kindBefore\n              kindAfter\n              counts\n              bytesDelta\n              changes(first: 200) {\n                edges {\n                  node {\n                    key\n                    status\n                    before\n                    after\n                    delta\n                    renamedFrom\n                  }\n                }\n                pageInfo {\n                  hasNextPage\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.RepositoryDiffDocument,
    "\n  query InProduction {\n    inProduction {\n      model\n      alias\n      version\n      commit\n      repository\n      branch\n      branchHead\n      consistent\n      since\n    }\n  }\n": types.InProductionDocument,
    "\n  query AliasHistory($model: String!, $alias: String!) {\n    registeredModel(name: $model) {\n      aliasHistory(alias: $alias, first: 100) {\n        edges {\n          node {\n            id\n            op\n            from\n            to\n            actor\n            at\n            reason\n            promotionId\n          }\n        }\n      }\n    }\n  }\n": types.AliasHistoryDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DrawnGraph on LineageGraph {\n    table(columns: [NAME, URI, STATE, NEIGHBORS])\n  }\n"): (typeof documents)["\n  fragment DrawnGraph on LineageGraph {\n    table(columns: [NAME, URI, STATE, NEIGHBORS])\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Lineage($input: LineageInput!) {\n    lineage(input: $input) {\n      ...DrawnGraph\n    }\n  }\n"): (typeof documents)["\n  query Lineage($input: LineageInput!) {\n    lineage(input: $input) {\n      ...DrawnGraph\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NodeRef($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Artifact {\n        id\n        name\n        typeName\n      }\n      ... on Execution {\n        id\n        name\n        typeName\n      }\n      ... on Context {\n        id\n        name\n        typeName\n      }\n    }\n  }\n"): (typeof documents)["\n  query NodeRef($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Artifact {\n        id\n        name\n        typeName\n      }\n      ... on Execution {\n        id\n        name\n        typeName\n      }\n      ... on Context {\n        id\n        name\n        typeName\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DetailedNode on GraphNode {\n    id\n    externalId\n    typeName\n    typeVersion\n    name\n    properties\n    customProperties\n    createdAt\n    updatedAt\n  }\n"): (typeof documents)["\n  fragment DetailedNode on GraphNode {\n    id\n    externalId\n    typeName\n    typeVersion\n    name\n    properties\n    customProperties\n    createdAt\n    updatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NodeDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Artifact {\n        ...DetailedNode\n        uri\n        state\n        events {\n          type\n          artifactId\n          executionId\n          timestamp\n          path\n        }\n        contexts {\n          id\n          name\n          typeName\n        }\n      }\n      ... on Execution {\n        ...DetailedNode\n        executionState: state\n        events {\n          type\n          artifactId\n          executionId\n          timestamp\n          path\n        }\n        contexts {\n          id\n          name\n          typeName\n        }\n      }\n      ... on Context {\n        ...DetailedNode\n      }\n    }\n  }\n"): (typeof documents)["\n  query NodeDetail($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Artifact {\n        ...DetailedNode\n        uri\n        state\n        events {\n          type\n          artifactId\n          executionId\n          timestamp\n          path\n        }\n        contexts {\n          id\n          name\n          typeName\n        }\n      }\n      ... on Execution {\n        ...DetailedNode\n        executionState: state\n        events {\n          type\n          artifactId\n          executionId\n          timestamp\n          path\n        }\n        contexts {\n          id\n          name\n          typeName\n        }\n      }\n      ... on Context {\n        ...DetailedNode\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ComparedRun on Execution {\n    id\n    name\n    typeName\n    state\n    properties\n    customProperties\n    createdAt\n  }\n"): (typeof documents)["\n  fragment ComparedRun on Execution {\n    id\n    name\n    typeName\n    state\n    properties\n    customProperties\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Context($id: ID!) {\n    context(id: $id) {\n      id\n      externalId\n      name\n      typeName\n      properties\n      customProperties\n      createdAt\n      parents {\n        id\n        name\n        typeName\n      }\n      children {\n        id\n        name\n        typeName\n      }\n      executions(first: 200) {\n        totalCount\n        edges {\n          node {\n            ...ComparedRun\n          }\n        }\n      }\n      artifacts(first: 1) {\n        totalCount\n      }\n    }\n  }\n"): (typeof documents)["\n  query Context($id: ID!) {\n    context(id: $id) {\n      id\n      externalId\n      name\n      typeName\n      properties\n      customProperties\n      createdAt\n      parents {\n        id\n        name\n        typeName\n      }\n      children {\n        id\n        name\n        typeName\n      }\n      executions(first: 200) {\n        totalCount\n        edges {\n          node {\n            ...ComparedRun\n          }\n        }\n      }\n      artifacts(first: 1) {\n        totalCount\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContextGraph($id: ID!) {\n    contextGraph(contextId: $id) {\n      ...DrawnGraph\n    }\n  }\n"): (typeof documents)["\n  query ContextGraph($id: ID!) {\n    contextGraph(contextId: $id) {\n      ...DrawnGraph\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchHits($text: String!, $first: Int!) {\n    search(text: $text, first: $first) {\n      id\n      kind\n      typeName\n      name\n      uri\n      externalId\n    }\n  }\n"): (typeof documents)["\n  query SearchHits($text: String!, $first: Int!) {\n    search(text: $text, first: $first) {\n      id\n      kind\n      typeName\n      name\n      uri\n      externalId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TypeCounts {\n    typeCounts {\n      kind\n      typeName\n      count\n    }\n  }\n"): (typeof documents)["\n  query TypeCounts {\n    typeCounts {\n      kind\n      typeName\n      count\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NewestArtifacts($n: Int!) {\n    artifacts(first: $n, orderBy: { field: \"createdAt\", descending: true }) {\n      edges {\n        node {\n          id\n          name\n          typeName\n          uri\n          state\n          createdAt\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query NewestArtifacts($n: Int!) {\n    artifacts(first: $n, orderBy: { field: \"createdAt\", descending: true }) {\n      edges {\n        node {\n          id\n          name\n          typeName\n          uri\n          state\n          createdAt\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Impact($ids: [ID!]!) {\n    impact(artifactIds: $ids) {\n      table(columns: [NAME, STATE])\n      contexts {\n        id\n        type\n        name\n        degree\n        direct\n        affectedMembers\n      }\n      countsByKind {\n        kind\n        count\n      }\n      countsByType {\n        kind\n        type\n        count\n      }\n    }\n  }\n"): (typeof documents)["\n  query Impact($ids: [ID!]!) {\n    impact(artifactIds: $ids) {\n      table(columns: [NAME, STATE])\n      contexts {\n        id\n        type\n        name\n        degree\n        direct\n        affectedMembers\n      }\n      countsByKind {\n        kind\n        count\n      }\n      countsByType {\n        kind\n        type\n        count\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Repository($name: String!) {\n    repository(name: $name) {\n      name\n      defaultBranch\n      protectedBranches\n      branches(first: 200) {\n        edges {\n          node {\n            name\n            head\n            protected\n            aheadBehind {\n              ahead\n              behind\n            }\n          }\n        }\n      }\n      tags(first: 200) {\n        edges {\n          node {\n            name\n            target\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Repository($name: String!) {\n    repository(name: $name) {\n      name\n      defaultBranch\n      protectedBranches\n      branches(first: 200) {\n        edges {\n          node {\n            name\n            head\n            protected\n            aheadBehind {\n              ahead\n              behind\n            }\n          }\n        }\n      }\n      tags(first: 200) {\n        edges {\n          node {\n            name\n            target\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RepositoryLog($name: String!, $ref: String!, $path: String, $after: String) {\n    repository(name: $name) {\n      log(ref: $ref, path: $path, first: 50, after: $after) {\n        edges {\n          node {\n            sha\n            message\n            author\n            createdAt\n            generation\n            parents\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RepositoryLog($name: String!, $ref: String!, $path: String, $after: String) {\n    repository(name: $name) {\n      log(ref: $ref, path: $path, first: 50, after: $after) {\n        edges {\n          node {\n            sha\n            message\n            author\n            createdAt\n            generation\n            parents\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RepositoryDiff($name: String!, $from: String!, $to: String!, $mode: DiffMode!) {\n    repository(name: $name) {\n      diff(from: $from, to: $to, mode: $mode) {\n        base\n        paths(first: 200) {\n          edges {\n            node {\n              path\n              status\n              kindBefore\n              kindAfter\n              counts\n              bytesDelta\n              changes(first: 200) {\n                edges {\n                  node {\n                    key\n                    status\n                    before\n                    after\n                    delta\n                    renamedFrom\n                  }\n                }\n                pageInfo {\n                  hasNextPage\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RepositoryDiff($name: String!, $from: String!, $to: String!, $mode: DiffMode!) {\n    repository(name: $name) {\n      diff(from: $from, to: $to, mode: $mode) {\n        base\n        paths(first: 200) {\n          edges {\n            node {\n              path\n              status\n              kindBefore\n              kindAfter\n              counts\n              bytesDelta\n              changes(first: 200) {\n                edges {\n                  node {\n                    key\n                    status\n                    before\n                    after\n                    delta\n                    renamedFrom\n                  }\n                }\n                pageInfo {\n                  hasNextPage\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InProduction {\n    inProduction {\n      model\n      alias\n      version\n      commit\n      repository\n      branch\n      branchHead\n      consistent\n      since\n    }\n  }\n"): (typeof documents)["\n  query InProduction {\n    inProduction {\n      model\n      alias\n      version\n      commit\n      repository\n      branch\n      branchHead\n      consistent\n      since\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AliasHistory($model: String!, $alias: String!) {\n    registeredModel(name: $model) {\n      aliasHistory(alias: $alias, first: 100) {\n        edges {\n          node {\n            id\n            op\n            from\n            to\n            actor\n            at\n            reason\n            promotionId\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AliasHistory($model: String!, $alias: String!) {\n    registeredModel(name: $model) {\n      aliasHistory(alias: $alias, first: 100) {\n        edges {\n          node {\n            id\n            op\n            from\n            to\n            actor\n            at\n            reason\n            promotionId\n          }\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;