import { useState } from "react";
import { request } from "../../api/client";
import { ErrorMessage } from "../../components/ErrorMessage";
import { graphql } from "../../gql";
import type { MergeRepositoryMutation, Take } from "../../gql/graphql";
import { cell } from "./versioningData";

const MergeDocument = graphql(`
  mutation MergeRepository($input: MergeInput!) {
    merge(input: $input) {
      __typename
      ... on Merged {
        commit {
          sha
        }
        dryRun
      }
      ... on FastForwarded {
        commit {
          sha
        }
        dryRun
      }
      ... on UpToDate {
        head
      }
      ... on Conflicted {
        base
        conflictCount
        conflicts {
          edges {
            node {
              path
              elementKey
              type
              base
              ours
              theirs
            }
          }
        }
      }
      ... on StaleHead {
        current
      }
      ... on ProtectedBranch {
        message
      }
    }
  }
`);

type Result = MergeRepositoryMutation["merge"];
interface Choice {
  take: Take;
  value: string;
}
const key = (path: string, element: string | null | undefined) => `${path}#${element ?? ""}`;

/** Merge a ref into a branch: preview (a dry run), one card per conflict, then merge with the choices. */
export function MergePanel({ repo, into, onMerged }: { repo: string; into: string; onMerged: () => void }) {
  const [source, setSource] = useState("");
  const [target, setTarget] = useState("");
  const [result, setResult] = useState<Result | null>(null);
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [error, setError] = useState<unknown>(null);
  const branch = target || into;

  const run = async (dryRun: boolean) => {
    setError(null);
    const conflicts = result?.__typename === "Conflicted" ? result.conflicts.edges.map((e) => e.node) : [];
    try {
      const resolutions = conflicts.map((c) => {
        const choice = choices[key(c.path, c.elementKey)] ?? { take: "OURS" as Take, value: "" };
        return {
          path: c.path,
          elementKey: c.elementKey ?? null,
          take: choice.take,
          value: choice.take === "VALUE" ? (JSON.parse(choice.value || "null") as unknown) : null,
        };
      });
      const answer = await request("Merging", MergeDocument, {
        input: { repo, source, into: branch, dryRun, resolutions: dryRun ? [] : resolutions },
      });
      setResult(answer.merge);
      if (!dryRun && answer.merge.__typename !== "Conflicted") onMerged();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section data-testid="merge-panel">
      <h3>Merge</h3>
      <label>
        source <input value={source} onChange={(e) => setSource(e.target.value)} data-testid="merge-source" />
      </label>{" "}
      <label>
        into <input value={branch} onChange={(e) => setTarget(e.target.value)} data-testid="merge-into" />
      </label>{" "}
      <button onClick={() => void run(true)} disabled={!source} data-testid="merge-preview">
        Preview
      </button>{" "}
      <button onClick={() => void run(false)} disabled={!source} data-testid="merge-run">
        Merge
      </button>
      {error !== null && <ErrorMessage error={error} what="Merging" />}
      {result && (
        <p data-testid="merge-result" data-result={result.__typename}>
          {result.__typename}
          {"commit" in result && result.commit ? ` ${result.commit.sha.slice(0, 10)}` : ""}
          {"dryRun" in result && result.dryRun ? " (preview)" : ""}
          {result.__typename === "Conflicted" ? `: ${result.conflictCount} conflict(s)` : ""}
          {result.__typename === "ProtectedBranch" ? `: ${result.message}` : ""}
        </p>
      )}
      {result?.__typename === "Conflicted" &&
        result.conflicts.edges.map(({ node: c }) => {
          const k = key(c.path, c.elementKey);
          const choice = choices[k] ?? { take: "OURS", value: "" };
          const pick = (take: Take) => setChoices((all) => ({ ...all, [k]: { ...choice, take } }));
          return (
            <div key={k} className="conflict-card" data-testid="conflict-card" data-key={k}>
              <h4>
                <code>{c.path}</code> {c.elementKey && <code>{c.elementKey}</code>} <span className="count-chip strong">{c.type}</span>
              </h4>
              {(["BASE", "OURS", "THEIRS"] as const).map((side) => (
                <label key={side} className="conflict-side">
                  <input type="radio" checked={choice.take === side} onChange={() => pick(side)} data-testid={`take-${side}`} />{" "}
                  {side.toLowerCase()} <code>{cell(side === "BASE" ? c.base : side === "OURS" ? c.ours : c.theirs)}</code>
                </label>
              ))}
              <label className="conflict-side">
                <input type="radio" checked={choice.take === "VALUE"} onChange={() => pick("VALUE")} data-testid="take-VALUE" /> value{" "}
                <input
                  value={choice.value}
                  placeholder="JSON"
                  onChange={(e) => setChoices((all) => ({ ...all, [k]: { take: "VALUE", value: e.target.value } }))}
                  data-testid="custom-value"
                />
              </label>
            </div>
          );
        })}
    </section>
  );
}
