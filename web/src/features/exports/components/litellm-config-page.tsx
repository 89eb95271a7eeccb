import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog, ErrorMessage, Field, Loading, PageHeader } from '@/components/ui';
import { useSession } from '@/lib/session';
import { useExportModels } from '../api/get-export-models';
import { useLitellmConfig, type ExportFile, type LitellmExportOptions } from '../api/litellm-config';

export interface ExportModel {
  model_id: string;
  display_name: string;
}

/** Hands a downloaded text to the browser as a file. */
function saveFile(file: ExportFile) {
  if (typeof URL.createObjectURL !== 'function') return; // jsdom
  const url = URL.createObjectURL(new Blob([file.text], { type: file.type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * The "LiteLLM config" export (route /exports/litellm, linked from the dashboard): the models to include, the safety factor and the headroom toggle; downloads the YAML
 * model_list and its .env template. Admins may also download the variant with the credentials embedded, after a
 * confirmation (the server audits it).
 */
function LitellmConfigForm({ models }: { models: ExportModel[] }) {
  const { t } = useTranslation();
  const { isAdmin } = useSession();
  const download = useLitellmConfig();
  const [chosen, setChosen] = useState<string[]>(() => models.map((m) => m.model_id));
  const [factor, setFactor] = useState('0.9');
  const [headroom, setHeadroom] = useState(false);
  const [confirmSecrets, setConfirmSecrets] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const f = Number(factor);
  const factorInvalid = factor.trim() === '' || !Number.isFinite(f) || f <= 0 || f > 1;
  const noModels = chosen.length === 0;

  function run(format: LitellmExportOptions['format'], withSecrets = false) {
    if (factorInvalid || noModels) return;
    setSaved(null);
    download.mutate(
      { modelIds: chosen, safetyFactor: f, useHeadroom: headroom, format, withSecrets },
      {
        onSuccess: (file) => {
          saveFile(file);
          setSaved(file.name);
          setConfirmSecrets(false);
        },
      },
    );
  }
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    run('yaml');
  }
  const toggle = (id: string) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));

  if (confirmSecrets) {
    return (
      <ConfirmDialog
        title={t('litellm.secretsTitle')}
        message={t('litellm.secretsWarning')}
        confirmLabel={t('litellm.secretsConfirm')}
        onConfirm={() => run('yaml', true)}
        onCancel={() => setConfirmSecrets(false)}
        busy={download.isPending}
        error={download.error ? <ErrorMessage error={download.error} /> : undefined}
      />
    );
  }
  return (
    <section aria-label={t('litellm.title')}>
      <form className="form" onSubmit={onSubmit} noValidate>
        <fieldset className="fieldset">
          <legend>{t('litellm.models')}</legend>
          {models.length === 0 && <p className="muted">{t('litellm.noModels')}</p>}
          {models.map((m) => (
            <label key={m.model_id} className="check">
              <input type="checkbox" checked={chosen.includes(m.model_id)} onChange={() => toggle(m.model_id)} />{' '}
              {m.display_name} <code>{m.model_id}</code>
            </label>
          ))}
          {noModels && models.length > 0 && <p className="field-error">{t('litellm.chooseModel')}</p>}
        </fieldset>
        <Field
          label={t('litellm.safetyFactor')}
          hint={t('litellm.safetyFactorHint')}
          error={factorInvalid ? t('litellm.safetyFactorInvalid') : null}
        >
          {(p) => (
            <input
              {...p}
              className="input"
              type="number"
              step="0.05"
              min="0.05"
              max="1"
              value={factor}
              onChange={(e) => setFactor(e.target.value)}
            />
          )}
        </Field>
        <label className="check">
          <input type="checkbox" checked={headroom} onChange={(e) => setHeadroom(e.target.checked)} />{' '}
          {t('litellm.useHeadroom')}
        </label>
        <p className="muted">{t('litellm.useHeadroomHint')}</p>
        {download.error && <ErrorMessage error={download.error} />}
        {saved && (
          <p role="status" className="muted">
            {t('litellm.saved', { name: saved })}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="btn" disabled={download.isPending} onClick={() => run('env')}>
            {t('litellm.downloadEnv')}
          </button>
          {isAdmin && (
            <button
              type="button"
              className="btn btn--danger"
              disabled={download.isPending || factorInvalid || noModels}
              onClick={() => setConfirmSecrets(true)}
            >
              {t('litellm.downloadSecrets')}
            </button>
          )}
          <button type="submit" className="btn btn--primary" disabled={download.isPending}>
            {t('litellm.downloadYaml')}
          </button>
        </div>
      </form>
    </section>
  );
}

export default function LitellmConfigPage() {
  const { t } = useTranslation();
  const models = useExportModels();
  return (
    <>
      <PageHeader title={t('litellm.title')}>
        <p className="muted">{t('litellm.intro')}</p>
      </PageHeader>
      {models.isPending && <Loading />}
      {models.error && <ErrorMessage error={models.error} />}
      {models.data && <LitellmConfigForm models={models.data} />}
    </>
  );
}
