import { Route, Routes } from 'react-router';
import { Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Layout } from '../shared/Layout.tsx';
import { NotFound } from '../shared/Status.tsx';
import { usePageTitle } from '../shared/page.ts';

function Home() {
  const { t } = useTranslation();
  usePageTitle(t('nav.events'));
  return (
    <>
      <Title order={1}>{t('nav.events')}</Title>
      <Text mt="md">{t('loading')}</Text>
    </>
  );
}

/** The shop: events of every organization, an organization's storefront, event pages, cart and checkout. */
export default function ShopArea() {
  return (
    <Layout>
      <Routes>
        <Route index element={<Home />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Layout>
  );
}
