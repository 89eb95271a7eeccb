import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { CopyButton, ErrorMessage, Loading } from '@/components/ui';
import { accountOfRoleArn, policyText, useAssumeRoleOnboarding } from '../api/get-assume-role-onboarding';

/** One policy document, readable and copyable. */
function PolicyBlock({ title, text }: { title: string; text: string }) {
  const id = useId();
  return (
    <div className="onboarding__policy">
      <div className="onboarding__policy-head">
        <h3 id={id}>{title}</h3>
        <CopyButton text={text} label={title} />
      </div>
      {/* Wrapped, never scrolled sideways: all of it readable without a scrollable region to reach. */}
      <pre className="mono" aria-labelledby={id} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {text}
      </pre>
    </div>
  );
}

/**
 * What to set up in the member account for an assume-role account: the platform's principal (from its own identity),
 * the external id the form sends (generated, editable in the credentials fields) and the trust and permissions
 * policies with both filled in — the documents `account-platform iam-policy` prints.
 */
export function AssumeRoleOnboarding({
  externalId,
  roleArn,
  accountId,
}: {
  externalId: string;
  roleArn: string;
  accountId: string;
}) {
  const { t } = useTranslation();
  const q = useAssumeRoleOnboarding(true);
  if (q.isPending) return <Loading label={t('basics.onboarding.loading')} />;
  if (q.isError) return <ErrorMessage error={q.error} />;
  const d = q.data;
  const values = {
    ExternalId: externalId.trim(),
    Account: accountOfRoleArn(roleArn) ?? (/^\d{12}$/.test(accountId.trim()) ? accountId.trim() : ''),
  };
  return (
    <section className="onboarding" aria-labelledby="onboarding-title">
      <h2 id="onboarding-title">{t('basics.onboarding.title')}</h2>
      <p className="muted">{t('basics.onboarding.intro')}</p>
      <dl className="onboarding__facts">
        <dt>{t('basics.onboarding.principal')}</dt>
        <dd>
          {d.platform_principal ? (
            <>
              <code className="mono" data-testid="platform-principal">
                {d.platform_principal.principal_arn}
              </code>{' '}
              <span className="muted">
                ({t('basics.onboarding.principalAccount', { account: d.platform_principal.account })})
              </span>{' '}
              <CopyButton text={d.platform_principal.principal_arn} label={t('basics.onboarding.principal')} />
            </>
          ) : (
            <span role="note">
              {t('basics.onboarding.principalUnknown', { code: d.principal_error?.code ?? '' })}{' '}
              <span className="muted">{d.principal_error?.message}</span> {t('basics.onboarding.principalUnknownHint')}
            </span>
          )}
        </dd>
        <dt>{t('basics.onboarding.externalId')}</dt>
        <dd>
          <code className="mono" data-testid="onboarding-external-id">
            {externalId}
          </code>
        </dd>
      </dl>
      <p className="muted">{t('basics.onboarding.roleName', { name: d.role_name })}</p>
      {d.trust_policy && (
        <PolicyBlock title={t('basics.onboarding.trustPolicy')} text={policyText(d.trust_policy, values)} />
      )}
      {d.permissions_policy && (
        <PolicyBlock title={t('basics.onboarding.permissionsPolicy')} text={policyText(d.permissions_policy, values)} />
      )}
      {d.increase_requests_policy && (
        <PolicyBlock
          title={t('basics.onboarding.increasePolicy')}
          text={policyText(d.increase_requests_policy, values)}
        />
      )}
    </section>
  );
}
