import { defineRbacRule, permissionHit, probe } from '../analysis.js';

const CERTS = 'certificates.k8s.io';
/** Signers whose certificates authenticate to the API server (a CSR with O=system:masters is cluster-admin). */
const CLIENT_SIGNERS = ['kubernetes.io/kube-apiserver-client', 'kubernetes.io/kube-apiserver-client-kubelet', 'kubernetes.io/legacy-unknown'];

/**
 * R18. Issuing a client certificate takes three permissions: create (and get) CSRs, update
 * certificatesigningrequests/approval, and approve on the signer (signers, named
 * `<signer>` or `<domain>/*`). Signing takes update on certificatesigningrequests/status and sign
 * on the signer. All are cluster-scoped.
 */
export const csrSigning = defineRbacRule({
  id: 'RBAC_CSR_APPROVAL',
  severity: 'medium',
  title: 'Subject can approve or sign certificate signing requests',
  description:
    'R18. update on certificatesigningrequests/approval approves CSRs; with create on certificatesigningrequests and approve on a kube-apiserver-client signer the subject issues itself a client certificate for any identity, system:masters included (critical). update on certificatesigningrequests/status with sign on a signer is a signer\'s power (critical). Cluster-scoped: only a ClusterRoleBinding grants any of it.',
  remediation: 'Leave CSR approval to the controller manager and a reviewed approver; never grant approve on kubernetes.io/kube-apiserver-client.',
  frameworks: { 'nist-800-53': ['IA-5', 'AC-6'], 'mitre-attack': ['T1649'], kubescape: ['C-0280'] },
  messages: { can: '{who} can {what} {scope} via {via}' },
  detect: (context) =>
    context.subjects.flatMap((subject) => {
      const grants = context.grantsOf(subject);
      const approval = probe(grants, { verbs: ['update', 'patch'], apiGroup: CERTS, resources: ['certificatesigningrequests/approval'] });
      const status = probe(grants, { verbs: ['update', 'patch'], apiGroup: CERTS, resources: ['certificatesigningrequests/status'] });
      const create = probe(grants, { verbs: ['create'], apiGroup: CERTS, resources: ['certificatesigningrequests'] });
      const approveSigner = probe(grants, { verbs: ['approve'], apiGroup: CERTS, resources: ['signers'], names: [...CLIENT_SIGNERS, 'kubernetes.io/*'] });
      const signSigner = probe(grants, { verbs: ['sign'], apiGroup: CERTS, resources: ['signers'] });
      const issue = approval.length > 0 && create.length > 0 && approveSigner.length > 0;
      const sign = status.length > 0 && signSigner.length > 0;
      if (approval.length === 0 && !sign) return [];
      const what = issue ? 'create, approve and get client certificates for any identity (system:masters included)' : sign ? 'sign certificate signing requests' : 'approve certificate signing requests';
      const m = [...approval, ...(issue ? [...create, ...approveSigner] : []), ...(sign ? [...status, ...signSigner] : [])];
      return [permissionHit(context, subject, m, 'can', { what }, issue || sign ? 'critical' : 'medium')];
    }),
});
