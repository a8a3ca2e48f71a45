// The grid tree below my region (issue 9 §6), read-only: streets and 社区 of the official
// divisions, then the local grids, buildings and households, each level fetched when opened
// (GET /regions/:code/children), so a district with thousands of households loads no more than
// the person looks at. Changing the tree (move, merge, split, import) stays in the API for now.
import { useCallback, useEffect, useState } from 'react';
import { Tree } from 'antd';
import type { TreeDataNode } from 'antd';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../../api/console-client';
import type { RegionItem } from '../../api/console-types';
import { PageTitle } from '../../components/PageTitle';
import { ErrorState, LoadingState } from '../../components/QueryStates';
import { ConsoleNav, GOVERNANCE_LINKS } from '../ConsoleNav';
import { useMe } from '../useMe';
import '../consoles.css';

type Node = TreeDataNode & { key: string; children?: Node[] };

/** Replaces the children of the node `key`, wherever it sits. */
function withChildren(nodes: Node[], key: string, children: Node[]): Node[] {
  return nodes.map((n) => (n.key === key ? { ...n, children } : n.children ? { ...n, children: withChildren(n.children, key, children) } : n));
}

export default function GridTreePage() {
  const { t } = useTranslation();
  const me = useMe();
  const root = me.data?.user.regionCode ?? undefined;
  const [nodes, setNodes] = useState<Node[]>([]);
  const [error, setError] = useState<unknown>(null);

  const toNode = useCallback((r: RegionItem): Node => ({
    key: r.code,
    title: `${r.name}（${t(`gov.tree.level.${r.level}`, { defaultValue: r.level })} · ${r.code}）`,
    isLeaf: r.level === 'household',
  }), [t]);

  useEffect(() => {
    if (root) setNodes([{ key: root, title: t('gov.tree.root', { code: root }) }]);
  }, [root, t]);

  const loadData = async (node: { key: React.Key }) => {
    const key = String(node.key);
    try {
      setError(null);
      const children = (await consoleApi.regionChildren(key)).items.map(toNode);
      setNodes((old) => withChildren(old, key, children.length ? children : []));
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      <PageTitle title={t('gov.tree.title')} intro={t('gov.tree.intro')} />
      <ConsoleNav labelKey="gov.nav.label" links={GOVERNANCE_LINKS} />
      {me.isPending ? <LoadingState /> : null}
      {me.isError ? <ErrorState error={me.error} /> : null}
      {error ? <ErrorState error={error} /> : null}
      {me.isSuccess && !root ? <p>{t('gov.tree.noRegion')}</p> : null}
      {root ? (
        <section aria-labelledby="gov-tree-heading" className="section">
          <h2 id="gov-tree-heading">{t('gov.tree.heading')}</h2>
          <p>{t('gov.tree.keyboard')}</p>
          <Tree<Node> treeData={nodes} loadData={loadData} showLine aria-labelledby="gov-tree-heading" />
        </section>
      ) : null}
    </>
  );
}
