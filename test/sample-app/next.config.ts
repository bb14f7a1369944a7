import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  basePath: '/shop',
};

export default nextConfig;
