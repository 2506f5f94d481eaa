import { Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Layout } from '../shared/Layout.tsx';
import { usePageTitle } from '../shared/page.ts';

/** The back office (issue 19) lives under /manage; this placeholder is replaced by its pages. */
export default function ManageArea() {
  const { t } = useTranslation();
  usePageTitle(t('nav.manage'));
  return (
    <Layout wide>
      <Title order={1}>{t('nav.manage')}</Title>
      <Text mt="md">{t('placeholder.manage')}</Text>
    </Layout>
  );
}
